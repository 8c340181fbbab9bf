// The sender: delivers one batch (a recipient-id range) of one notification through its
// channel (channels/), knowing nothing about the channel itself. It leases the batch for its
// queue message (a duplicate message leaves a held batch alone), asks the channel for the
// range's recipients that have no delivery row yet — so a redelivered or recovered message
// never re-sends to anyone recorded — sends with at most PUSH_CONCURRENCY requests in flight,
// and records outcomes in chunks of SEND_RECORD_CHUNK as they happen (renewing the lease each
// time): a crash re-sends at most one chunk plus the sends in flight. Gone addresses are
// pruned; the rest says whether the message must retry.
//
// Before any send, every recipient goes through the decision of issue #9 §3 (preferences,
// quiet hours, digests: services/preferences/decide.ts), loaded once per batch. Only `send`s are
// sent; the others are recorded at once as skipped / deferred / digested delivery rows, so a
// redelivery does not decide again, status shows them, and the live counters never count them.
// Every send path (campaigns, messages, in-app, digests, releases of deferred sends) comes here.
import type { CounterDelta } from "../../../durable-objects/site-counters";
import { channel } from "../../channels";
import type { Recipient } from "../../channels/types";
import { PUSH_CONCURRENCY, SEND_LEASE_MS, SEND_MAX_ATTEMPTS, SEND_RECORD_CHUNK, SEND_RECORD_MAX_WAIT_MS } from "../../config";
import * as q from "../../db/queries/notifications";
import type { DeliverMessage } from "../../queues/messages";
import { recordLive } from "../analytics/live";
import type { Deps } from "../deps";
import { decideBatch } from "../preferences/policy";
import { applyHeldReports } from "./status";
import { emitSendOutcomes } from "./webhook-events";

export type DeliverResult =
  | { status: "done"; sent: number; failed: number; pruned: number }
  | { status: "retry"; delayS: number; remaining: number }
  | { status: "skipped"; reason: string };

type Added = Array<{ status: q.DeliveryRecord["status"]; reason: string | null }>;
const COUNTED = new Set(["sent", "failed", "pruned"]);

/** Runs `fn` over `items` with at most `limit` in flight; before each item, `proceed()` may make
 *  it wait (a write in progress) or stop it (false). */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>, proceed: () => Promise<boolean>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && (await proceed()) && next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Live-counter delta of the delivery rows a write actually added (never double counts). */
function liveDelta(notificationId: string, added: Added): CounterDelta {
  const counts = { sent: 0, failed: 0, pruned: 0 };
  const failedByReason: Record<string, number> = {};
  for (const row of added) {
    // Skipped, deferred and digested rows were not sends: the counters leave them out.
    if (!COUNTED.has(row.status)) continue;
    counts[row.status as keyof typeof counts]++;
    if (row.status === "failed") failedByReason[row.reason ?? "unknown"] = (failedByReason[row.reason ?? "unknown"] ?? 0) + 1;
  }
  return { notificationId, counts, failedByReason };
}

/** Writes delivery rows outside a lease (the DLQ settling a dead batch), then feeds the live counters. */
export async function recordOutcomes(deps: Deps, siteId: string, notificationId: string, channel: string, records: q.DeliveryRecord[], now: number) {
  const added = await q.insertDeliveries(deps.db, siteId, notificationId, channel, records, now);
  if (added.length) await recordLive(deps.env, siteId, liveDelta(notificationId, added));
}

/**
 * Collects outcomes and writes them a chunk at a time; `proceed` holds new sends while a chunk
 * is being written, so unrecorded sends stay bounded by one chunk plus those in flight.
 */
function chunkRecorder(
  deps: Deps,
  msg: DeliverMessage,
  prune: (ids: string[], now: number) => Promise<void>,
  announce: (rows: q.DeliveryRecord[]) => Promise<void>,
) {
  let pending: q.DeliveryRecord[] = [];
  let gone: string[] = [];
  let lastFlush = deps.now();
  let writing: Promise<void> = Promise.resolve();
  let leaseLost = false;
  const added: Added = [];

  const flush = () => {
    const rows = pending;
    const pruned = gone;
    pending = [];
    gone = [];
    lastFlush = deps.now();
    writing = writing.then(async () => {
      if (!rows.length) return;
      // Webhook events first: written before the rows, a crash in between re-emits them under
      // the same ids (dropped as repeats) instead of losing them with the recorded rows.
      await announce(rows);
      const now = deps.now();
      const lease = { batch: msg.batch, owner: msg.lease, until: now + SEND_LEASE_MS };
      const result = await q.recordChunk(deps.db, msg.siteId, msg.notificationId, msg.channel, lease, rows, now);
      added.push(...result.added);
      if (result.held.length) await applyHeldReports(deps, msg.siteId, msg.channel, result.held);
      if (!result.leaseHeld) leaseLost = true;
      if (pruned.length) await prune(pruned, now);
    });
    return writing;
  };

  return {
    /** Resolves when the outcome is recorded if it completed a chunk (its sender waits for the write). */
    add(record: q.DeliveryRecord) {
      pending.push(record);
      if (record.status === "pruned") gone.push(record.subscriberId);
      if (pending.length >= SEND_RECORD_CHUNK || deps.now() - lastFlush >= SEND_RECORD_MAX_WAIT_MS) return flush();
      return Promise.resolve();
    },
    flush,
    leaseLost: () => leaseLost,
    /** Before each new send: wait for a chunk being written, then go on unless the lease is
     *  gone or a write failed (the message then fails and retries). */
    proceed: () =>
      writing.then(
        () => !leaseLost,
        () => false,
      ),
    /** What the live counters get: the rows this message added. */
    added: () => added,
  };
}

export async function deliverBatch(deps: Deps, msg: DeliverMessage, attempt: number): Promise<DeliverResult> {
  const { siteId, notificationId } = msg;
  const notification = await q.findNotification(deps.db, siteId, notificationId);
  if (!notification) return { status: "skipped", reason: "not_found" };
  if (notification.status !== "sending") {
    await q.finishBatch(deps.db, notificationId, msg.batch, deps.now());
    return { status: "skipped", reason: notification.status };
  }
  if (!(await q.claimBatch(deps.db, notificationId, msg.batch, msg.lease, deps.now(), SEND_LEASE_MS))) {
    // Finished already, or another message holds it: that one completes, retries or lets the
    // lease lapse for cron to recover — either way nothing is left for this duplicate to do.
    const batch = await q.findBatch(deps.db, notificationId, msg.batch);
    return { status: "skipped", reason: batch?.doneAt != null ? "done" : "leased" };
  }

  const ch = channel(msg.channel);
  const job = { siteId, notificationId, fromId: msg.fromId, toId: msg.toId };
  const pending = await ch.pendingRecipients(deps, job, notification);
  const { send: recipients, held, digests } = pending.length ? await decideBatch(deps, notification, msg.channel, pending) : { send: [], held: [], digests: [] };
  if (held.length) {
    const now = deps.now();
    const lease = { batch: msg.batch, owner: msg.lease, until: now + SEND_LEASE_MS };
    const { leaseHeld } = await q.recordHeld(deps.db, siteId, notificationId, msg.channel, lease, held, digests, now);
    if (!leaseHeld) return { status: "skipped", reason: "lease_lost" };
  }
  if (!recipients.length) {
    // Everyone in the range is recorded (a redelivery after the last chunk, a recovery of a
    // batch that had just finished sending) or held back: nothing to prepare keys or payloads for.
    await q.finishBatch(deps.db, notificationId, msg.batch, deps.now());
    return { status: "done", sent: 0, failed: 0, pruned: 0 };
  }
  const prepared = await ch.prepare(deps, job, notification);
  // Who each recipient is, for message.* webhook events (campaigns send none).
  const externalIds = new Map(notification.kind === "message" ? recipients.map((r) => [r.id, r.externalId]) : []);
  const recorder = chunkRecorder(
    deps,
    msg,
    (ids, now) => ch.prune(deps, siteId, ids, now),
    (rows) => emitSendOutcomes(deps, notification, msg.channel, rows, externalIds),
  );
  const counts = { sent: 0, failed: 0, pruned: 0 };
  let retryDelayS = 0;
  let retrying = 0;
  let configProblem: string | undefined;
  const lastAttempt = attempt >= SEND_MAX_ATTEMPTS;

  const sendOne = async (r: Recipient) => {
    const { outcome, httpStatus, providerMessageId = null, providerCode = null } = await ch.send(prepared, r, attempt);
    const base = { subscriberId: r.id, httpStatus, providerMessageId, providerCode };
    switch (outcome.kind) {
      case "sent":
        counts.sent++;
        return recorder.add({ ...base, status: "sent", reason: null });
      case "gone":
        counts.pruned++;
        return recorder.add({ ...base, status: "pruned", reason: "gone" });
      case "failed":
        counts.failed++;
        configProblem ??= outcome.configProblem;
        return recorder.add({ ...base, status: "failed", reason: outcome.reason });
      case "retry":
        if (lastAttempt) {
          counts.failed++;
          return recorder.add({ ...base, status: "failed", reason: outcome.reason });
        }
        retrying++;
        retryDelayS = Math.max(retryDelayS, outcome.delayS);
    }
  };
  await pool(recipients, PUSH_CONCURRENCY, sendOne, recorder.proceed);
  await recorder.flush();

  const added = recorder.added();
  if (added.length) await recordLive(deps.env, siteId, liveDelta(notificationId, added));
  if (configProblem) await ch.reportConfigProblem(deps, siteId, configProblem);
  // Taken over after our lease lapsed (we were far slower than SEND_LEASE_MS): the new holder
  // owns what is left, and it skips everyone we recorded.
  if (recorder.leaseLost()) return { status: "skipped", reason: "lease_lost" };
  if (retrying) {
    // Hold the batch through the delay, so only this message's retry resumes it.
    await q.renewLease(deps.db, notificationId, msg.batch, msg.lease, deps.now() + retryDelayS * 1000 + SEND_LEASE_MS);
    return { status: "retry", delayS: retryDelayS, remaining: retrying };
  }

  await q.finishBatch(deps.db, notificationId, msg.batch, deps.now());
  return { status: "done", ...counts };
}
