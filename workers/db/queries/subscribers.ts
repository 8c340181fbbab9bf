// SQL for subscribers. Every query is scoped by site_id.
import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, events, subscribers } from "../schema";

export type SubscriberRow = typeof subscribers.$inferSelect;

/** Inserts or refreshes the subscription for (site, endpoint); returns the row's id and whether it was new. */
export async function upsertSubscriber(db: Db, row: SubscriberRow, update: { tags?: string[]; externalId?: string | null }) {
  const result = await db
    .insert(subscribers)
    .values(row)
    .onConflictDoUpdate({
      target: [subscribers.siteId, subscribers.endpoint],
      set: {
        p256dh: row.p256dh,
        auth: row.auth,
        expirationTime: row.expirationTime,
        // A refresh without this information (e.g. from the service worker) keeps what we had.
        browser: sql`coalesce(excluded.browser, ${subscribers.browser})`,
        os: sql`coalesce(excluded.os, ${subscribers.os})`,
        language: sql`coalesce(excluded.language, ${subscribers.language})`,
        timezone: sql`coalesce(excluded.timezone, ${subscribers.timezone})`,
        country: sql`coalesce(excluded.country, ${subscribers.country})`,
        lastSeenAt: row.lastSeenAt,
        active: true,
        unsubscribedAt: null,
        unsubscribeReason: null,
        ...(update.tags !== undefined ? { tags: update.tags } : {}),
        ...(update.externalId !== undefined ? { externalId: update.externalId } : {}),
      },
    })
    .returning({ id: subscribers.id })
    .get();
  return { id: result!.id, created: result!.id === row.id };
}

/** Ends the active subscription of this endpoint; returns it (none when there was none), for its webhook event. */
export const deactivateByEndpoint = (db: Db, siteId: string, endpoint: string, reason: string, now: number) =>
  db
    .update(subscribers)
    .set({ active: false, unsubscribedAt: now, unsubscribeReason: reason })
    .where(and(eq(subscribers.siteId, siteId), eq(subscribers.endpoint, endpoint), eq(subscribers.active, true)))
    .returning({ id: subscribers.id, externalId: subscribers.externalId })
    .all();

/** Marks the given subscriptions gone (push service answered 404/410); returns them, for their webhook events. */
export const pruneSubscribers = (db: Db, siteId: string, ids: string[], now: number) =>
  db.all<{ id: string; externalId: string | null }>(sql`update subscribers set active = 0, unsubscribed_at = ${now}, unsubscribe_reason = 'gone'
             where site_id = ${siteId} and id in (select value from json_each(${JSON.stringify(ids)}))
             returning id, external_id as externalId`);

export const findSubscriber = (db: Db, siteId: string, id: string) =>
  db.select().from(subscribers).where(and(eq(subscribers.siteId, siteId), eq(subscribers.id, id))).get();

export interface SubscriberFilter {
  tag?: string;
  browser?: string;
  country?: string;
  active?: boolean;
}

export function listSubscribers(db: Db, siteId: string, filter: SubscriberFilter, cursor: string | undefined, limit: number) {
  const conditions: SQL[] = [eq(subscribers.siteId, siteId)];
  if (filter.active !== undefined) conditions.push(eq(subscribers.active, filter.active));
  if (filter.browser) conditions.push(eq(subscribers.browser, filter.browser));
  if (filter.country) conditions.push(eq(subscribers.country, filter.country));
  if (filter.tag) conditions.push(sql`exists (select 1 from json_each(${subscribers.tags}) where value = ${filter.tag})`);
  if (cursor) conditions.push(lt(subscribers.id, cursor));
  return db.select().from(subscribers).where(and(...conditions)).orderBy(desc(subscribers.id)).limit(limit).all();
}

export const updateSubscriber = (db: Db, siteId: string, id: string, patch: { tags?: string[]; externalId?: string | null }) =>
  db.update(subscribers).set(patch).where(and(eq(subscribers.siteId, siteId), eq(subscribers.id, id))).run();

/** GDPR erasure: the subscriber, its deliveries and its events, in one transaction. */
export const deleteSubscriber = (db: Db, siteId: string, id: string) =>
  db.batch([
    db.delete(events).where(and(eq(events.siteId, siteId), eq(events.subscriberId, id))),
    db.delete(deliveries).where(and(eq(deliveries.siteId, siteId), eq(deliveries.subscriberId, id))),
    db.delete(subscribers).where(and(eq(subscribers.siteId, siteId), eq(subscribers.id, id))),
  ]);

export const subscriberDeliveries = (db: Db, siteId: string, id: string) =>
  db.select().from(deliveries).where(and(eq(deliveries.siteId, siteId), eq(deliveries.subscriberId, id))).all();

export const subscriberEvents = (db: Db, siteId: string, id: string) =>
  db.select().from(events).where(and(eq(events.siteId, siteId), eq(events.subscriberId, id))).orderBy(desc(events.createdAt)).all();
