// SQL of the messages API (issue #8 §5): per-channel progress and outcome counts of one send,
// its recipients page by page, and the status callbacks' updates of a delivery found by the
// provider's message id. A message is a notification row of kind "message".
import { and, count, desc, eq, gt, lt, sql, sum } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, mobileDevices, notificationBatches, notifications, pendingProviderReports, siteUsers, subscribers } from "../schema";

export const listMessages = (db: Db, siteId: string, cursor: string | undefined, limit: number) =>
  db
    .select()
    .from(notifications)
    .where(and(eq(notifications.siteId, siteId), eq(notifications.kind, "message"), cursor ? lt(notifications.id, cursor) : undefined))
    .orderBy(desc(notifications.id))
    .limit(limit)
    .all();

/** Per channel: recipients planned and batches left. */
export const batchProgress = (db: Db, notificationId: string) =>
  db
    .select({
      channel: notificationBatches.channel,
      targeted: sum(notificationBatches.size).mapWith(Number),
      batches: count(),
      open: sql<number>`sum(case when ${notificationBatches.doneAt} is null then 1 else 0 end)`.mapWith(Number),
    })
    .from(notificationBatches)
    .where(eq(notificationBatches.notificationId, notificationId))
    .groupBy(notificationBatches.channel)
    .all();

/** Per channel: delivery rows by send outcome, reason and what the provider reported later. */
export const outcomeCounts = (db: Db, siteId: string, notificationId: string) =>
  db
    .select({ channel: deliveries.channel, status: deliveries.status, reason: deliveries.reason, providerStatus: deliveries.providerStatus, n: count() })
    .from(deliveries)
    .where(and(eq(deliveries.notificationId, notificationId), eq(deliveries.siteId, siteId)))
    .groupBy(deliveries.channel, deliveries.status, deliveries.reason, deliveries.providerStatus)
    .all();

export interface RecipientFilter {
  channel?: string;
  status?: string;
}

/** One page of a message's delivery rows, with whose they are (the recipient id is a site user,
 *  a push subscription or a mobile device; each joins only its own table). */
export function listRecipients(db: Db, siteId: string, notificationId: string, filter: RecipientFilter, cursor: string | undefined, limit: number) {
  const key = sql<string>`${deliveries.channel} || ':' || ${deliveries.subscriberId}`;
  return db
    .select({
      channel: deliveries.channel,
      recipientId: deliveries.subscriberId,
      status: deliveries.status,
      reason: deliveries.reason,
      httpStatus: deliveries.httpStatus,
      providerMessageId: deliveries.providerMessageId,
      providerCode: deliveries.providerCode,
      providerStatus: deliveries.providerStatus,
      providerStatusAt: deliveries.providerStatusAt,
      createdAt: deliveries.createdAt,
      releaseAt: deliveries.releaseAt,
      externalId: sql<string | null>`coalesce(${siteUsers.externalId}, ${subscribers.externalId}, ${mobileDevices.externalId})`,
      email: siteUsers.email,
      phone: siteUsers.phone,
      cursor: key,
    })
    .from(deliveries)
    .leftJoin(siteUsers, and(eq(siteUsers.siteId, deliveries.siteId), eq(siteUsers.id, deliveries.subscriberId)))
    .leftJoin(subscribers, and(eq(subscribers.siteId, deliveries.siteId), eq(subscribers.id, deliveries.subscriberId)))
    .leftJoin(mobileDevices, and(eq(mobileDevices.siteId, deliveries.siteId), eq(mobileDevices.id, deliveries.subscriberId)))
    .where(
      and(
        eq(deliveries.notificationId, notificationId),
        eq(deliveries.siteId, siteId),
        filter.channel ? eq(deliveries.channel, filter.channel) : undefined,
        filter.status ? sql`coalesce(${deliveries.providerStatus}, ${deliveries.status}) = ${filter.status}` : undefined,
        cursor ? gt(key, cursor) : undefined,
      ),
    )
    .orderBy(deliveries.channel, deliveries.subscriberId)
    .limit(limit)
    .all();
}

/** Records what a provider reported later about a message it accepted; returns the rows it
 *  matched (none when the id is unknown to this site). Repeating a report changes nothing. */
export const setProviderStatus = (
  db: Db,
  siteId: string,
  channel: string,
  providerMessageId: string,
  update: { status: string; code: string | null; at: number },
) =>
  db
    .update(deliveries)
    .set({ providerStatus: update.status, providerStatusAt: update.at, providerCode: sql`coalesce(${update.code}, ${deliveries.providerCode})` })
    .where(and(eq(deliveries.siteId, siteId), eq(deliveries.providerMessageId, providerMessageId), eq(deliveries.channel, channel)))
    .returning({ notificationId: deliveries.notificationId, recipientId: deliveries.subscriberId })
    .all();

// ─── Reports that came before their delivery row ─────────────────────────────

export type PendingReport = typeof pendingProviderReports.$inferSelect;

/** Keeps a report for a delivery not recorded yet; a later report of the same message replaces it. */
export const holdReport = (db: Db, r: PendingReport) =>
  db
    .insert(pendingProviderReports)
    .values(r)
    .onConflictDoUpdate({
      target: [pendingProviderReports.siteId, pendingProviderReports.channel, pendingProviderReports.providerMessageId],
      set: { status: r.status, providerCode: r.providerCode, addressUnusable: r.addressUnusable, receivedAt: r.receivedAt },
    })
    .run();

/** Drops one held report (its delivery turned up and the report was applied after all). */
export const dropHeldReport = (db: Db, siteId: string, channel: string, providerMessageId: string) =>
  db
    .delete(pendingProviderReports)
    .where(
      and(eq(pendingProviderReports.siteId, siteId), eq(pendingProviderReports.channel, channel), eq(pendingProviderReports.providerMessageId, providerMessageId)),
    )
    .run();

/** Housekeeping: reports no delivery claimed within the window (another system's messages). */
export const dropStaleReports = (db: Db, before: number) => db.delete(pendingProviderReports).where(lt(pendingProviderReports.receivedAt, before)).run();
