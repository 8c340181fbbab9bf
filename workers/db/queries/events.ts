// SQL for engagement events and per-notification delivery/event counts.
import { and, count, eq } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, events } from "../schema";

/** Inserts the event unless this (delivery, type) was already recorded; returns whether it was new. */
export async function insertEventOnce(db: Db, row: typeof events.$inferInsert): Promise<boolean> {
  const res = await db.insert(events).values(row).onConflictDoNothing().run();
  return res.meta.changes === 1;
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

