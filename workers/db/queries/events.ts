// SQL for engagement events and per-notification delivery/event counts.
import { and, count, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, events, notifications, subscribers } from "../schema";

/**
 * Inserts the event unless this (delivery, type) was already recorded, and only while its
 * subscriber and notification still exist: an event for an erased subscriber must not bring
 * rows back (GDPR erasure, issue #7). One statement, so an erasure cannot slip in between.
 */
export async function insertEventOnce(db: Db, row: typeof events.$inferInsert): Promise<"created" | "duplicate" | "gone"> {
  const res = await db.run(sql`
    insert into ${events} (id, site_id, notification_id, subscriber_id, type, action, created_at)
    select ${row.id}, ${row.siteId}, ${row.notificationId}, ${row.subscriberId}, ${row.type}, ${row.action ?? null}, ${row.createdAt}
    where exists (select 1 from ${subscribers} where ${subscribers.id} = ${row.subscriberId} and ${subscribers.siteId} = ${row.siteId})
      and exists (select 1 from ${notifications} where ${notifications.id} = ${row.notificationId} and ${notifications.siteId} = ${row.siteId})
    on conflict do nothing`);
  if (res.meta.changes === 1) return "created";
  const subscriber = await db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(and(eq(subscribers.id, row.subscriberId), eq(subscribers.siteId, row.siteId)))
    .get();
  const notification = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.id, row.notificationId), eq(notifications.siteId, row.siteId)))
    .get();
  return subscriber && notification ? "duplicate" : "gone";
}

export const deliveryCounts = (db: Db, siteId: string, notificationId: string) =>
  db
    .select({ status: deliveries.status, reason: deliveries.reason, n: count() })
    .from(deliveries)
    .where(and(eq(deliveries.notificationId, notificationId), eq(deliveries.siteId, siteId)))
    .groupBy(deliveries.status, deliveries.reason)
    .all();

export const eventCounts = (db: Db, siteId: string, notificationId: string) =>
  db
    .select({ type: events.type, n: count() })
    .from(events)
    .where(and(eq(events.notificationId, notificationId), eq(events.siteId, siteId)))
    .groupBy(events.type)
    .all();

