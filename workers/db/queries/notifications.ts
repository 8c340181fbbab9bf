// SQL for notifications, their send batches and delivery rows. Status changes are
// conditional updates, so concurrent requests, cron runs and queue redeliveries
// cannot move a notification twice.
import { and, desc, eq, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type NotificationStatus, notificationBatches, notifications, sites } from "../schema";

export type NotificationRow = typeof notifications.$inferSelect;
export type BatchRow = typeof notificationBatches.$inferSelect;

export const insertNotification = (db: Db, row: NotificationRow) => db.insert(notifications).values(row).run();

export const findNotification = (db: Db, siteId: string, id: string) =>
  db.select().from(notifications).where(and(eq(notifications.siteId, siteId), eq(notifications.id, id))).get();

export function listNotifications(db: Db, siteId: string, status: NotificationStatus | undefined, cursor: string | undefined, limit: number) {
  const conditions = [eq(notifications.siteId, siteId)];
  if (status) conditions.push(eq(notifications.status, status));
  if (cursor) conditions.push(lt(notifications.id, cursor));
  return db.select().from(notifications).where(and(...conditions)).orderBy(desc(notifications.id)).limit(limit).all();
}

/** Applies `patch` only while the notification is in one of `from`; returns whether it did. */
export async function transition(
  db: Db,
  siteId: string,
  id: string,
  from: NotificationStatus[],
  patch: Partial<NotificationRow>,
): Promise<boolean> {
  const res = await db
    .update(notifications)
    .set(patch)
    .where(and(eq(notifications.siteId, siteId), eq(notifications.id, id), inArray(notifications.status, from)))
    .run();
  return res.meta.changes === 1;
}

export const deleteNotification = (db: Db, siteId: string, id: string, from: NotificationStatus[]) =>
  db.delete(notifications).where(and(eq(notifications.siteId, siteId), eq(notifications.id, id), inArray(notifications.status, from))).run();

/** Atomically claims every scheduled notification that is due: each is returned to exactly one caller. */
export const claimDueScheduled = (db: Db, now: number) =>
  db
    .update(notifications)
    .set({ status: "sending", startedAt: now, updatedAt: now })
    .where(and(eq(notifications.status, "scheduled"), lte(notifications.scheduledAt, now)))
    .returning({ id: notifications.id, siteId: notifications.siteId })
    .all();

/** Sending notifications whose plan never ran (a lost plan message): re-plan them. */
export const unplannedSending = (db: Db, startedBefore: number) =>
  db
    .select({ id: notifications.id, siteId: notifications.siteId })
    .from(notifications)
    .where(and(eq(notifications.status, "sending"), eq(notifications.batchesTotal, 0), lt(notifications.startedAt, startedBefore)))
    .all();

export const listBatches = (db: Db, notificationId: string) =>
  db.select().from(notificationBatches).where(eq(notificationBatches.notificationId, notificationId)).orderBy(notificationBatches.batch).all();

/** Stores the plan and the audience size in one transaction (only the first planner run wins).
 *  Raw D1 statements: drizzle's batch() takes query builders, not an INSERT … SELECT from json_each. */
export const savePlan = (db: Db, siteId: string, notificationId: string, batches: Omit<BatchRow, "doneAt">[], targeted: number) =>
  db.$client.batch([
    db.$client
      .prepare(
        `insert into notification_batches (notification_id, batch, from_id, to_id, size)
         select ?1, value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]' from json_each(?2) where true
         on conflict do nothing`,
      )
      .bind(notificationId, JSON.stringify(batches.map((b) => [b.batch, b.fromId, b.toId, b.size]))),
    db.$client
      .prepare("update notifications set targeted = ?1, batches_total = ?2 where site_id = ?3 and id = ?4 and batches_total = 0")
      .bind(targeted, batches.length, siteId, notificationId),
  ]);

export interface DeliveryRecord {
  subscriberId: string;
  status: "sent" | "failed" | "pruned";
  reason: string | null;
  httpStatus: number | null;
}

/** Records outcomes; a row that already exists (a redelivered batch) is left as it was.
 *  Returns only the rows this call added, so counters fed from it never double count. */
export const insertDeliveries = (db: Db, siteId: string, notificationId: string, rows: DeliveryRecord[], now: number) =>
  db.all<{ status: DeliveryRecord["status"]; reason: string | null }>(sql`
    insert into deliveries (notification_id, subscriber_id, site_id, status, reason, http_status, created_at)
    select ${notificationId}, value ->> '$[0]', ${siteId}, value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', ${now}
    from json_each(${JSON.stringify(rows.map((r) => [r.subscriberId, r.status, r.reason, r.httpStatus]))}) where true
    on conflict do nothing
    returning status, reason`);

/** Marks a batch done, then completes the notification if it was the last one. */
export const finishBatch = (db: Db, notificationId: string, batch: number, now: number) =>
  db.batch([
    db
      .update(notificationBatches)
      .set({ doneAt: now })
      .where(and(eq(notificationBatches.notificationId, notificationId), eq(notificationBatches.batch, batch), isNull(notificationBatches.doneAt))),
    completeIfDone(db, notificationId, now),
  ]);

export const completeIfDone = (db: Db, notificationId: string, now: number) =>
  db
    .update(notifications)
    .set({ status: "completed", completedAt: now, updatedAt: now })
    .where(
      and(
        eq(notifications.id, notificationId),
        eq(notifications.status, "sending"),
        sql`${notifications.batchesTotal} > 0`,
        sql`not exists (select 1 from ${notificationBatches} where ${notificationBatches.notificationId} = ${notificationId} and ${notificationBatches.doneAt} is null)`,
      ),
    );

/** The site settings the sender needs (defaults for icon and TTL). */
export const siteSettings = async (db: Db, siteId: string) =>
  (await db.select({ settings: sites.settings }).from(sites).where(eq(sites.id, siteId)).get())?.settings;
