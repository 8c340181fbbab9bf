// SQL of RSS-to-push (services/feeds). Scoped by site, except the cron's claim of due feeds
// (feeds_due_idx), which returns each feed with its site.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { feedItems, feedSends, feeds, notifications } from "../schema";

export type FeedRow = typeof feeds.$inferSelect;
export type FeedItemRow = typeof feedItems.$inferSelect;
type NotificationInsert = typeof notifications.$inferInsert;

export const insertFeed = async (db: Db, row: FeedRow) => (await db.insert(feeds).values(row).returning().get())!;
export const findFeed = (db: Db, siteId: string, id: string) => db.select().from(feeds).where(and(eq(feeds.siteId, siteId), eq(feeds.id, id))).get();
export const listFeeds = (db: Db, siteId: string) => db.select().from(feeds).where(eq(feeds.siteId, siteId)).orderBy(desc(feeds.id)).all();
export const updateFeed = (db: Db, siteId: string, id: string, patch: Partial<FeedRow>) =>
  db.update(feeds).set(patch).where(and(eq(feeds.siteId, siteId), eq(feeds.id, id))).returning().get();
export const deleteFeed = (db: Db, siteId: string, id: string) => db.delete(feeds).where(and(eq(feeds.siteId, siteId), eq(feeds.id, id))).returning({ id: feeds.id }).get();

/** Takes the due feeds for this run by moving their next poll on: a cron fired twice polls each once. */
export const claimDueFeeds = (db: Db, now: number, next: number, limit: number) =>
  db
    .update(feeds)
    .set({ nextPollAt: next })
    .where(sql`${feeds.id} in (select id from ${feeds} where enabled = 1 and next_poll_at <= ${now} order by next_poll_at limit ${limit})`)
    .returning()
    .all();

/**
 * Inserts the items not seen before in `state`; returns the keys that were new. The items travel
 * as one JSON parameter (a feed's 20 items × 11 columns would pass D1's 100 bound parameters).
 */
export async function insertItems(db: Db, feed: FeedRow, items: Array<Omit<FeedItemRow, "feedId" | "siteId" | "state" | "notificationId">>, state: FeedItemRow["state"]) {
  if (!items.length) return new Set<string>();
  const rows = JSON.stringify(items.map((i) => [i.itemKey, i.title, i.url, i.image, i.summary, i.publishedAt, i.firstSeenAt]));
  const added = await db.all<{ key: string }>(sql`insert into ${feedItems} (feed_id, item_key, site_id, title, url, image, summary, published_at, state, notification_id, first_seen_at)
    select ${feed.id}, value ->> '$[0]', ${feed.siteId}, value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]', value ->> '$[5]', ${state}, null, value ->> '$[6]'
    from json_each(${rows}) where true
    on conflict do nothing
    returning item_key as key`);
  return new Set(added.map((a) => a.key));
}

/** Items in `state`, newest first. */
export const itemsIn = (db: Db, feedId: string, state: FeedItemRow["state"], limit: number) =>
  db
    .select()
    .from(feedItems)
    .where(and(eq(feedItems.feedId, feedId), eq(feedItems.state, state)))
    .orderBy(desc(sql`coalesce(${feedItems.publishedAt}, ${feedItems.firstSeenAt})`))
    .limit(limit)
    .all();

export const setItemsState = (db: Db, feedId: string, keys: string[], state: FeedItemRow["state"]) =>
  keys.length
    ? db
        .update(feedItems)
        .set({ state })
        .where(and(eq(feedItems.feedId, feedId), sql`${feedItems.itemKey} in (select value from json_each(${JSON.stringify(keys)}))`))
    : null;

/**
 * The notification for these items, in one transaction with a send guard per item (primary key:
 * a second attempt at the same item fails as a whole, false) and the items marked sent.
 */
export async function recordSend(db: Db, feed: FeedRow, keys: string[], notification: NotificationInsert): Promise<boolean> {
  try {
    await db.batch([
      db.insert(feedSends).values(keys.map((k) => ({ feedId: feed.id, itemKey: k, notificationId: notification.id }))),
      db.insert(notifications).values(notification),
      db.update(feedItems).set({ state: "sent", notificationId: notification.id }).where(and(eq(feedItems.feedId, feed.id), inArray(feedItems.itemKey, keys))),
    ]);
    return true;
  } catch (e) {
    if (String((e as Error).message).includes("UNIQUE constraint failed: feed_sends")) return false;
    throw e;
  }
}

export const listItems = (db: Db, siteId: string, feedId: string, limit: number) =>
  db.select().from(feedItems).where(and(eq(feedItems.siteId, siteId), eq(feedItems.feedId, feedId))).orderBy(desc(feedItems.firstSeenAt), asc(feedItems.itemKey)).limit(limit).all();
export const findItem = (db: Db, siteId: string, feedId: string, key: string) =>
  db.select().from(feedItems).where(and(eq(feedItems.siteId, siteId), eq(feedItems.feedId, feedId), eq(feedItems.itemKey, key))).get();

export const feedCounts = (db: Db, siteId: string) =>
  db.all<{ feedId: string; sent: number; pending: number }>(sql`select feed_id as feedId, sum(state = 'sent') as sent, sum(state = 'pending_approval') as pending from ${feedItems} where site_id = ${siteId} group by feed_id`);

/** Forgets all but the newest `keep` items of a feed (their keys could come back as new only if the feed republished something that old). */
export const pruneItems = (db: Db, feedId: string, keep: number) =>
  db.run(sql`delete from ${feedItems} where feed_id = ${feedId} and item_key not in (select item_key from ${feedItems} where feed_id = ${feedId} order by first_seen_at desc limit ${keep})`);
