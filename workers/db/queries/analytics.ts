// SQL for the analytics roll-up, the overview, per-notification performance and /metrics.
import { and, between, count, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { analyticsDaily, deliveries, events, notificationBatches, notifications, subscribers } from "../schema";

export type DailyRow = typeof analyticsDaily.$inferSelect;

const inRange = (column: typeof deliveries.createdAt | typeof events.createdAt, start: number, end: number) =>
  and(gte(column, start), lt(column, end));

export const deliveriesByNotification = (db: Db, siteId: string, start: number, end: number) =>
  db
    .select({ notificationId: deliveries.notificationId, status: deliveries.status, n: count() })
    .from(deliveries)
    .where(and(eq(deliveries.siteId, siteId), inRange(deliveries.createdAt, start, end)))
    .groupBy(deliveries.notificationId, deliveries.status)
    .all();

export const eventsByNotification = (db: Db, siteId: string, start: number, end: number) =>
  db
    .select({ notificationId: events.notificationId, type: events.type, n: count() })
    .from(events)
    .where(and(eq(events.siteId, siteId), inRange(events.createdAt, start, end)))
    .groupBy(events.notificationId, events.type)
    .all();

export const startedNotifications = (db: Db, siteId: string, start: number, end: number) =>
  db
    .select({ id: notifications.id, targeted: notifications.targeted })
    .from(notifications)
    .where(and(eq(notifications.siteId, siteId), gte(notifications.startedAt, start), lt(notifications.startedAt, end)))
    .all();

export async function subscriberChanges(db: Db, siteId: string, start: number, end: number) {
  const [gained, lost] = await Promise.all([
    db.$count(subscribers, and(eq(subscribers.siteId, siteId), gte(subscribers.subscribedAt, start), lt(subscribers.subscribedAt, end))),
    db.$count(subscribers, and(eq(subscribers.siteId, siteId), gte(subscribers.unsubscribedAt, start), lt(subscribers.unsubscribedAt, end))),
  ]);
  return { gained, lost };
}

/** Replaces the day's rows for a site: a recomputation, so running it twice changes nothing.
 *  Rows travel as one JSON parameter (D1 allows 100 bound parameters per statement). */
export const replaceDay = (db: Db, siteId: string, date: string, rows: DailyRow[], now: number) =>
  db.$client.batch([
    db.$client.prepare("delete from analytics_daily where site_id = ?1 and date = ?2").bind(siteId, date),
    db.$client
      .prepare(
        `insert into analytics_daily (site_id, date, notification_id, targeted, sent, failed, pruned, impressions, clicks,
           dismissals, value, subscribers_gained, subscribers_lost, updated_at)
         select ?1, ?2, value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]', value ->> '$[5]',
           value ->> '$[6]', value ->> '$[7]', value ->> '$[8]', value ->> '$[9]', value ->> '$[10]', ?4
         from json_each(?3)`,
      )
      .bind(
        siteId,
        date,
        JSON.stringify(rows.map((r) => [r.notificationId, r.targeted, r.sent, r.failed, r.pruned, r.impressions, r.clicks, r.dismissals, r.value, r.subscribersGained, r.subscribersLost])),
        now,
      ),
  ]);

export const dailyRows = (db: Db, siteId: string, from: string, to: string) =>
  db.select().from(analyticsDaily).where(and(eq(analyticsDaily.siteId, siteId), between(analyticsDaily.date, from, to))).all();

export async function subscriberTotals(db: Db, siteId: string) {
  const [total, active] = await Promise.all([
    db.$count(subscribers, eq(subscribers.siteId, siteId)),
    db.$count(subscribers, and(eq(subscribers.siteId, siteId), eq(subscribers.active, true))),
  ]);
  return { total, active };
}

/** Per-minute outcome and engagement counts of one notification. */
export async function minuteSeries(db: Db, siteId: string, notificationId: string) {
  const minute = (col: typeof deliveries.createdAt | typeof events.createdAt) => sql<number>`(${col} / 60000) * 60000`;
  const [sends, engagement] = await Promise.all([
    db
      .select({ minute: minute(deliveries.createdAt), status: deliveries.status, n: count() })
      .from(deliveries)
      .where(and(eq(deliveries.notificationId, notificationId), eq(deliveries.siteId, siteId)))
      .groupBy(sql`1`, deliveries.status)
      .all(),
    db
      .select({ minute: minute(events.createdAt), type: events.type, n: count() })
      .from(events)
      .where(and(eq(events.notificationId, notificationId), eq(events.siteId, siteId)))
      .groupBy(sql`1`, events.type)
      .all(),
  ]);
  return { sends, engagement };
}

// ─── /metrics (platform-wide gauges) ───
export const activeSubscribers = (db: Db) => db.$count(subscribers, eq(subscribers.active, true));
export const notificationsByStatus = (db: Db) =>
  db.select({ status: notifications.status, n: count() }).from(notifications).groupBy(notifications.status).all();
export async function sendBacklog(db: Db) {
  const row = await db
    .select({ pending: count(), oldest: sql<number | null>`min(${notifications.startedAt})` })
    .from(notificationBatches)
    .innerJoin(notifications, eq(notifications.id, notificationBatches.notificationId))
    .where(and(eq(notifications.status, "sending"), sql`${notificationBatches.doneAt} is null`))
    .get();
  return { pendingBatches: row?.pending ?? 0, oldestStartedAt: row?.oldest ?? null };
}
