// SQL for notifications, their send batches and delivery rows. Status changes are
// conditional updates, so concurrent requests, cron runs and queue redeliveries
// cannot move a notification twice.
import { and, desc, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type DeliveryStatus, type NotificationStatus, notificationBatches, notifications, sites } from "../schema";
import { type DigestEntry, insertDigestEntriesStatement } from "./digests";

export type NotificationRow = typeof notifications.$inferSelect;
export type BatchRow = typeof notificationBatches.$inferSelect;

/** A new notification, returned whole: progress columns (targeted, batches, completed, archived) start at their defaults. */
export const insertNotification = async (db: Db, row: typeof notifications.$inferInsert) => (await db.insert(notifications).values(row).returning().get())!;

export const findNotification = (db: Db, siteId: string, id: string) =>
  db.select().from(notifications).where(and(eq(notifications.siteId, siteId), eq(notifications.id, id))).get();

export function listNotifications(
  db: Db,
  siteId: string,
  filter: { status?: NotificationStatus; archived: boolean },
  cursor: string | undefined,
  limit: number,
) {
  // Campaigns only: messages (POST …/messages) have their own list.
  const conditions = [
    eq(notifications.siteId, siteId),
    eq(notifications.kind, "campaign"),
    isNull(notifications.parentId), // an A/B test's variant sends show on their campaign
    filter.archived ? isNotNull(notifications.archivedAt) : isNull(notifications.archivedAt),
  ];
  if (filter.status) conditions.push(eq(notifications.status, filter.status));
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

export const setArchived = (db: Db, siteId: string, id: string, archivedAt: number | null) =>
  db.update(notifications).set({ archivedAt }).where(and(eq(notifications.siteId, siteId), eq(notifications.id, id))).run();

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

/** The planner's cut of a send: ranges only (leases and completion come later). */
export type PlannedBatch = Pick<BatchRow, "notificationId" | "batch" | "channel" | "fromId" | "toId" | "size">;

/** Stores the plan and the audience size in one transaction (only the first planner run wins).
 *  Raw D1 statements: drizzle's batch() takes query builders, not an INSERT … SELECT from json_each. */
export const savePlan = (db: Db, siteId: string, notificationId: string, batches: PlannedBatch[], targeted: number, now: number) =>
  db.$client.batch([
    db.$client
      .prepare(
        `insert into notification_batches (notification_id, batch, from_id, to_id, size, channel)
         select ?1, value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]' from json_each(?2) where true
         on conflict do nothing`,
      )
      .bind(notificationId, JSON.stringify(batches.map((b) => [b.batch, b.fromId, b.toId, b.size, b.channel]))),
    db.$client
      .prepare("update notifications set targeted = ?1, batches_total = ?2, progress_at = ?5 where site_id = ?3 and id = ?4 and batches_total = 0")
      .bind(targeted, batches.length, siteId, notificationId, now),
  ]);

export interface DeliveryRecord {
  /** The recipient: a subscriber (web push), a site user (email, SMS, WhatsApp), a mobile device (FCM). */
  subscriberId: string;
  /** What the send came to; or, for skipped / deferred / digested, what the decision every send
   *  goes through held it back for (services/preferences/decide.ts; reason from HOLD_REASONS). */
  status: DeliveryStatus;
  reason: string | null;
  httpStatus: number | null;
  /** The provider's id for the message, so its status callbacks find this row. */
  providerMessageId?: string | null;
  /** The provider's own error code with a failure (Twilio 21211, FCM UNREGISTERED …). */
  providerCode?: string | null;
  /** A deferred delivery: when the release job sends it (cron/release-deferred.ts). */
  releaseAt?: number | null;
}

/** Records outcomes; a row that already exists (a redelivered batch) is left as it was.
 *  Returns only the rows this call added, so counters fed from it never double count. */
const insertDeliveriesStatement = (db: Db, siteId: string, notificationId: string, channel: string, rows: DeliveryRecord[], now: number) =>
  db.$client
    .prepare(
      `insert into deliveries (notification_id, channel, subscriber_id, site_id, status, reason, http_status, provider_message_id, provider_code, release_at, created_at)
       select ?1, ?5, value ->> '$[0]', ?2, value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]', value ->> '$[5]', value ->> '$[6]', ?3
       from json_each(?4) where true
       on conflict do nothing
       returning subscriber_id as subscriberId, status, reason`,
    )
    .bind(
      notificationId,
      siteId,
      now,
      JSON.stringify(rows.map((r) => [r.subscriberId, r.status, r.reason, r.httpStatus, r.providerMessageId ?? null, r.providerCode ?? null, r.releaseAt ?? null])),
      channel,
    );

export type AddedDelivery = { subscriberId: string; status: DeliveryRecord["status"]; reason: string | null };

export const insertDeliveries = async (db: Db, siteId: string, notificationId: string, channel: string, rows: DeliveryRecord[], now: number) =>
  (await insertDeliveriesStatement(db, siteId, notificationId, channel, rows, now).all<AddedDelivery>()).results;

// ─── Batch leases (crash-safe sends, issue #7) ───────────────────────────────
// A deliver message leases its batch before sending. The lease names the message's lease key,
// so the message's own retry (same body) resumes at once while a duplicate message (a re-run
// planner, a stall recovery) finds the batch held and leaves it to the holder. A holder
// that dies lets the lease lapse; cron then re-enqueues the batch (claimStalledSends).

const batchIs = (notificationId: string, batch: number) =>
  and(eq(notificationBatches.notificationId, notificationId), eq(notificationBatches.batch, batch));

/** The batch is not held by a live message at `now`: never leased, or its lease lapsed. */
const leaseLapsed = (now: number) => sql`(${notificationBatches.leaseUntil} is null or ${notificationBatches.leaseUntil} <= ${now})`;

/** Takes (or keeps) the lease of an unfinished batch for `owner` (a message's lease key); false when done or held by another. */
export async function claimBatch(db: Db, notificationId: string, batch: number, owner: string, now: number, leaseMs: number) {
  const rows = await db
    .update(notificationBatches)
    .set({ leasedBy: owner, leaseUntil: now + leaseMs })
    .where(
      and(
        batchIs(notificationId, batch),
        isNull(notificationBatches.doneAt),
        or(leaseLapsed(now), eq(notificationBatches.leasedBy, owner)),
      ),
    )
    .returning({ batch: notificationBatches.batch })
    .all();
  return rows.length === 1;
}

/** Extends the lease while `owner` still holds it; false when it was lost (taken over after expiry). */
const renewLeaseStatement = (db: Db, notificationId: string, batch: number, owner: string, until: number) =>
  db.$client
    .prepare(
      `update notification_batches set lease_until = ?1
       where notification_id = ?2 and batch = ?3 and leased_by = ?4 and done_at is null returning batch`,
    )
    .bind(until, notificationId, batch, owner);

export async function renewLease(db: Db, notificationId: string, batch: number, owner: string, until: number) {
  return (await renewLeaseStatement(db, notificationId, batch, owner, until).all()).results.length === 1;
}

const touchProgress = (db: Db, notificationId: string, now: number) =>
  db.update(notifications).set({ progressAt: now }).where(eq(notifications.id, notificationId));

/** Takes (deletes and returns) the provider reports that arrived before these deliveries were
 *  recorded (services/sending/status.ts holds them). */
const takeHeldReportsStatement = (db: Db, siteId: string, channel: string, providerMessageIds: string[]) =>
  db.$client
    .prepare(
      `delete from pending_provider_reports
       where site_id = ?1 and channel = ?2 and provider_message_id in (select value from json_each(?3))
       returning site_id as siteId, channel, provider_message_id as providerMessageId, status, provider_code as providerCode,
                 address_unusable as addressUnusable, received_at as receivedAt`,
    )
    .bind(siteId, channel, JSON.stringify(providerMessageIds));

export type HeldReport = { siteId: string; channel: string; providerMessageId: string; status: string; providerCode: string | null; addressUnusable: number; receivedAt: number };

/**
 * One round trip per chunk of sends: the chunk's delivery rows, the lease renewal, the send's
 * progress mark and — for provider channels — the status reports that beat these rows here.
 * Returns the rows that were new, whether the lease is still ours and the reports taken.
 * Raw D1 statements, like savePlan: drizzle's batch() does not take raw RETURNING queries.
 */
export async function recordChunk(
  db: Db,
  siteId: string,
  notificationId: string,
  channel: string,
  lease: { batch: number; owner: string; until: number },
  rows: DeliveryRecord[],
  now: number,
) {
  const providerIds = rows.flatMap((r) => (r.providerMessageId ? [r.providerMessageId] : []));
  const [added, renewed, , held] = await db.$client.batch<AddedDelivery | { batch: number } | HeldReport>([
    insertDeliveriesStatement(db, siteId, notificationId, channel, rows, now),
    renewLeaseStatement(db, notificationId, lease.batch, lease.owner, lease.until),
    db.$client.prepare("update notifications set progress_at = ?1 where id = ?2").bind(now, notificationId),
    ...(providerIds.length ? [takeHeldReportsStatement(db, siteId, channel, providerIds)] : []),
  ]);
  return { added: added!.results as AddedDelivery[], leaseHeld: renewed!.results.length === 1, held: (held?.results ?? []) as HeldReport[] };
}

/**
 * The deliveries the decision held back (skipped, deferred, digested) and the digest entries of
 * the digested ones, with the lease renewal, in one transaction: a crash leaves either all of
 * them or none (the redelivered batch decides again). Digest entries go first and only for
 * recipients with no delivery row yet, so a batch taken over by another holder adds none twice.
 */
export async function recordHeld(
  db: Db,
  siteId: string,
  notificationId: string,
  channel: string,
  lease: { batch: number; owner: string; until: number },
  rows: DeliveryRecord[],
  entries: DigestEntry[],
  now: number,
) {
  const [, added, renewed] = await db.$client.batch<AddedDelivery | { batch: number }>([
    insertDigestEntriesStatement(db, siteId, notificationId, channel, entries, now),
    insertDeliveriesStatement(db, siteId, notificationId, channel, rows, now),
    renewLeaseStatement(db, notificationId, lease.batch, lease.owner, lease.until),
  ]);
  return { added: added!.results as AddedDelivery[], leaseHeld: renewed!.results.length === 1 };
}

/** Marks a batch done, then completes the notification if it was the last one. */
export const finishBatch = (db: Db, notificationId: string, batch: number, now: number) =>
  db.batch([
    db
      .update(notificationBatches)
      .set({ doneAt: now, leaseUntil: null })
      .where(and(batchIs(notificationId, batch), isNull(notificationBatches.doneAt))),
    touchProgress(db, notificationId, now),
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

export const findBatch = (db: Db, notificationId: string, batch: number) =>
  db.select().from(notificationBatches).where(batchIs(notificationId, batch)).get();

/**
 * Claims the sends whose progress stalled (nothing recorded since `stalledBefore`) by moving
 * their progress mark to `now`, so of two cron runs only one recovers each. Returns them.
 */
export const claimStalledSends = (db: Db, stalledBefore: number, now: number) =>
  db
    .update(notifications)
    .set({ progressAt: now })
    .where(
      and(
        eq(notifications.status, "sending"),
        sql`${notifications.batchesTotal} > 0`,
        sql`coalesce(${notifications.progressAt}, ${notifications.startedAt}, 0) < ${stalledBefore}`,
      ),
    )
    .returning({ id: notifications.id, siteId: notifications.siteId })
    .all();

/**
 * Hands every unfinished batch no live message holds (never leased, or the lease lapsed by
 * `now`) to a new lease owner — a random key per batch, in one statement: the recovery's
 * messages then resume them at once, and a holder thought dead that wakes up finds its lease
 * gone and stops. Returns the batches handed over with their new owner.
 */
export const reassignOrphanedBatches = (db: Db, notificationId: string, now: number, leaseMs: number) =>
  db
    .update(notificationBatches)
    .set({ leasedBy: sql`lower(hex(randomblob(16)))`, leaseUntil: now + leaseMs })
    .where(and(eq(notificationBatches.notificationId, notificationId), isNull(notificationBatches.doneAt), leaseLapsed(now)))
    .returning({
      batch: notificationBatches.batch,
      channel: notificationBatches.channel,
      fromId: notificationBatches.fromId,
      toId: notificationBatches.toId,
      owner: notificationBatches.leasedBy,
    })
    .all();

/** The site settings the sender needs (defaults for icon and TTL). */
export const siteSettings = async (db: Db, siteId: string) =>
  (await db.select({ settings: sites.settings }).from(sites).where(eq(sites.id, siteId)).get())?.settings;

// ─── Deferred deliveries (quiet hours, issue #9 §3; cron/release-deferred.ts) ─────────────────

const RELEASABLE = "('sending', 'completed')";

/** (notification, channel) pairs with deferred deliveries due by `now`, of sends still going or
 *  done (a cancelled send releases nothing). At most `limit`; the rest wait for the next run. */
export const dueDeferred = (db: Db, now: number, limit: number) =>
  db.$client
    .prepare(
      `select d.site_id as siteId, d.notification_id as notificationId, d.channel as channel
       from deliveries d join notifications n on n.id = d.notification_id
       where d.status = 'deferred' and d.release_at <= ?1 and n.status in ${RELEASABLE}
         and not exists (select 1 from notification_batches b where b.notification_id = d.notification_id and b.channel = d.channel and b.done_at is null)
       group by d.site_id, d.notification_id, d.channel limit ?2`,
    )
    .bind(now, limit)
    .all<{ siteId: string; notificationId: string; channel: string }>()
    .then((r) => r.results);

/**
 * Hands the due deferred deliveries of one (notification, channel) back to the sender, in one
 * transaction: a new batch covering their recipient-id range (the others in that range have
 * delivery rows, so the channel's pendingRecipients returns only the released ones; size 0, as
 * they were counted when planned), their deferred rows deleted, the send's batch count bumped
 * and a completed send reopened. Only once the channel's batches are all done: a range that
 * overlapped a batch still sending could reach its recipients twice (and two releases of one
 * channel never overlap). A second run (or an overlapping one) finds no due rows and changes
 * nothing. `lease` (random per call) marks the new batch; the deliver message carries it.
 * Returns the new batch, or null when there was nothing to release.
 */
export async function releaseDeferred(db: Db, siteId: string, notificationId: string, channel: string, now: number, lease: string) {
  const due = `from deliveries where notification_id = ?1 and channel = ?2 and status = 'deferred' and release_at <= ?3
               and exists (select 1 from notifications where id = ?1 and site_id = ?4 and status in ${RELEASABLE})
               and not exists (select 1 from notification_batches where notification_id = ?1 and channel = ?2 and done_at is null)`;
  const [batch] = await db.$client.batch<{ batch: number; fromId: string; toId: string }>([
    db.$client
      .prepare(
        `insert into notification_batches (notification_id, batch, channel, from_id, to_id, size, leased_by)
         select ?1, coalesce((select max(batch) from notification_batches where notification_id = ?1), -1) + 1, ?2,
                min(subscriber_id), max(subscriber_id), 0, ?5
         ${due} having count(*) > 0
         returning batch, from_id as fromId, to_id as toId`,
      )
      .bind(notificationId, channel, now, siteId, lease),
    // Only when the insert above happened (the batch carries this call's lease key; lease_until
    // null, so the deliver message — or a stall recovery — takes it at once).
    db.$client
      .prepare(
        `delete from deliveries where notification_id = ?1 and channel = ?2 and status = 'deferred' and release_at <= ?3
         and exists (select 1 from notification_batches where notification_id = ?1 and leased_by = ?4 and done_at is null)`,
      )
      .bind(notificationId, channel, now, lease),
    db.$client
      .prepare(
        `update notifications set
           batches_total = (select count(*) from notification_batches where notification_id = ?1),
           status = case when exists (select 1 from notification_batches where notification_id = ?1 and done_at is null) then 'sending' else status end,
           completed_at = case when exists (select 1 from notification_batches where notification_id = ?1 and done_at is null) then null else completed_at end,
           progress_at = ?2, updated_at = ?2
         where id = ?1 and site_id = ?3 and status in ${RELEASABLE}`,
      )
      .bind(notificationId, now, siteId),
  ]);
  return batch!.results[0] ?? null;
}
