// SQL of digest windows (issue #9 §3): events of a digest category collected per (site, user,
// channel, digest key) until the window's flush_at, then turned into one message and deleted in
// the same transaction. Every query is scoped by site; the primary key (site, user, channel,
// key, notification) serves a window's lookups, digest_entries_flush_idx the due windows.
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { digestEntries, notifications, siteUsers } from "../schema";

/** One digested recipient's event (several recipients of one user — their browsers — make one entry). */
export interface DigestEntry {
  /** The delivery's recipient id (a subscriber, a user, a device): no entry when it already has a delivery row. */
  recipientId: string;
  userId: string;
  digestKey: string;
  title: string | null;
  url: string | null;
  /** When a new window would end; an open window of the same (user, channel, key) keeps its own. */
  flushAt: number;
}

export const insertDigestEntriesStatement = (db: Db, siteId: string, notificationId: string, channel: string, entries: DigestEntry[], now: number) =>
  db.$client
    .prepare(
      `insert into digest_entries (site_id, user_id, channel, digest_key, notification_id, title, url, flush_at, created_at)
       select ?1, value ->> '$[0]', ?2, value ->> '$[1]', ?3, value ->> '$[2]', value ->> '$[3]',
              coalesce((select min(d.flush_at) from digest_entries d
                        where d.site_id = ?1 and d.user_id = value ->> '$[0]' and d.channel = ?2 and d.digest_key = value ->> '$[1]'), value ->> '$[4]'),
              ?4
       from json_each(?5)
       where not exists (select 1 from deliveries where notification_id = ?3 and channel = ?2 and subscriber_id = value ->> '$[5]')
       on conflict do nothing`,
    )
    .bind(siteId, channel, notificationId, now, JSON.stringify(entries.map((e) => [e.userId, e.digestKey, e.title, e.url, e.flushAt, e.recipientId])));

export type DigestWindow = { siteId: string; userId: string; channel: string; digestKey: string };

/** Windows with entries due by `now` (at most `limit`; the rest wait for the next run). */
export const dueWindows = (db: Db, now: number, limit: number): Promise<DigestWindow[]> =>
  db
    .selectDistinct({ siteId: digestEntries.siteId, userId: digestEntries.userId, channel: digestEntries.channel, digestKey: digestEntries.digestKey })
    .from(digestEntries)
    .where(lte(digestEntries.flushAt, now))
    .limit(limit)
    .all();

const inWindow = (w: DigestWindow) =>
  and(eq(digestEntries.siteId, w.siteId), eq(digestEntries.userId, w.userId), eq(digestEntries.channel, w.channel), eq(digestEntries.digestKey, w.digestKey));

/** The window's due entries, oldest first, with the user's external id (null: the user was erased). */
export const windowEntries = (db: Db, w: DigestWindow, now: number) =>
  db
    .select({ notificationId: digestEntries.notificationId, title: digestEntries.title, url: digestEntries.url, createdAt: digestEntries.createdAt, externalId: siteUsers.externalId })
    .from(digestEntries)
    .leftJoin(siteUsers, and(eq(siteUsers.siteId, digestEntries.siteId), eq(siteUsers.id, digestEntries.userId)))
    .where(and(inWindow(w), lte(digestEntries.flushAt, now)))
    .orderBy(asc(digestEntries.createdAt), asc(digestEntries.notificationId))
    .all();

const entriesIn = (ids: string[]) => sql`${digestEntries.notificationId} in (select value from json_each(${JSON.stringify(ids)}))`;

/** Drops entries nobody can get (their user was erased). */
export const dropEntries = (db: Db, w: DigestWindow, notificationIds: string[]) => db.delete(digestEntries).where(and(inWindow(w), entriesIn(notificationIds))).run();

/**
 * Writes the digest message and deletes the entries it collects in one transaction; the message
 * is written only while every one of those entries is still there, so of two flushes of the same
 * window (a cron run twice, overlapping runs) exactly one writes it. Returns whether this one did.
 */
export async function flushWindow(db: Db, w: DigestWindow, notificationIds: string[], message: typeof notifications.$inferInsert) {
  const cols = Object.keys(message) as Array<keyof typeof message>;
  const columnOf = (k: keyof typeof message) => (notifications[k as keyof typeof notifications] as { name: string }).name;
  const encode = (v: unknown) => (v !== null && typeof v === "object" ? JSON.stringify(v) : (v ?? null));
  const list = JSON.stringify(notificationIds);
  const [inserted] = await db.$client.batch([
    db.$client
      .prepare(
        `insert into notifications (${cols.map(columnOf).join(", ")})
         select ${cols.map((_, i) => `?${i + 6}`).join(", ")}
         where (select count(*) from digest_entries where site_id = ?1 and user_id = ?2 and channel = ?3 and digest_key = ?4
                  and notification_id in (select value from json_each(?5))) = json_array_length(?5)`,
      )
      .bind(w.siteId, w.userId, w.channel, w.digestKey, list, ...cols.map((k) => encode(message[k]))),
    db.$client
      .prepare("delete from digest_entries where site_id = ?1 and user_id = ?2 and channel = ?3 and digest_key = ?4 and notification_id in (select value from json_each(?5))")
      .bind(w.siteId, w.userId, w.channel, w.digestKey, list),
  ]);
  return inserted!.meta.changes === 1;
}
