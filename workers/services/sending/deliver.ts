// The sender: delivers one batch (a subscriber-id range) of one notification.
// It leases the batch for its queue message (a duplicate message leaves a held batch alone),
// loads only subscribers in the range that have no delivery row yet — so a redelivered or
// recovered message never re-sends to anyone recorded — encrypts and POSTs with at most
// PUSH_CONCURRENCY requests in flight, and records outcomes in chunks of SEND_RECORD_CHUNK as
// they happen (renewing the lease each time): a crash re-sends at most one chunk plus the
// pushes in flight. Gone subscriptions are pruned; the rest says whether it must retry.
import { PUSH_CONCURRENCY, SEND_LEASE_MS, SEND_MAX_ATTEMPTS, SEND_RECORD_CHUNK, SEND_RECORD_MAX_WAIT_MS } from "../../config";
import * as q from "../../db/queries/notifications";
import { updateSite } from "../../db/queries/sites";
import { pruneSubscribers } from "../../db/queries/subscribers";
import { pendingRecipients, type Target } from "../../db/queries/targeting";
import { signEventToken } from "../../lib/event-token";
import { encryptPayload } from "../../push/encrypt";
import { classifyPushResult } from "../../push/outcome";
import { sendPush } from "../../push/request";
import { createVapidSigner, type VapidSigner } from "../../push/vapid";
import type { DeliverMessage } from "../../queues/messages";
import type { CounterDelta } from "../../../durable-objects/site-counters";
import { recordLive } from "../analytics/live";
import type { Deps } from "../deps";
import { loadVapidKeys } from "../sites";
import { payloadFor, payloadPrefix, type NotificationContent } from "./payload";

export type DeliverResult =
  | { status: "done"; sent: number; failed: number; pruned: number }
  | { status: "retry"; delayS: number; remaining: number }
  | { status: "skipped"; reason: string };

// One signer per site per isolate: the VAPID key is imported once and the JWT for
// each push-service origin is signed once and reused until shortly before expiry.
const signers = new Map<string, Promise<VapidSigner>>();
function signerFor(deps: Deps, siteId: string): Promise<VapidSigner> {
  let signer = signers.get(siteId);
  if (!signer) {
    signer = loadVapidKeys(deps, siteId).then((keys) =>
      createVapidSigner({ ...keys, subject: deps.env.VAPID_SUBJECT, now: deps.now }),
    );
    signers.set(siteId, signer);
    signer.catch(() => signers.delete(siteId));
  }
  return signer;
}

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
function liveDelta(notificationId: string, added: Array<{ status: q.DeliveryRecord["status"]; reason: string | null }>): CounterDelta {
  const counts = { sent: 0, failed: 0, pruned: 0 };
  const failedByReason: Record<string, number> = {};
  for (const row of added) {
    counts[row.status]++;
    if (row.status === "failed") failedByReason[row.reason ?? "unknown"] = (failedByReason[row.reason ?? "unknown"] ?? 0) + 1;
  }
  return { notificationId, counts, failedByReason };
}

/** Writes delivery rows outside a lease (the DLQ settling a dead batch), then feeds the live counters. */
export async function recordOutcomes(deps: Deps, siteId: string, notificationId: string, records: q.DeliveryRecord[], now: number) {
  const added = await q.insertDeliveries(deps.db, siteId, notificationId, records, now);
  if (added.length) await recordLive(deps.env, siteId, liveDelta(notificationId, added));
}

/**
 * Collects outcomes and writes them a chunk at a time. `add` resolves once the outcome is
 * recorded whenever it completed a chunk, so the senders wait for the write: unrecorded pushes
 * stay bounded by one chunk plus those in flight.
 */
function chunkRecorder(deps: Deps, msg: DeliverMessage, leaseOwner: string) {
  let pending: q.DeliveryRecord[] = [];
  let gone: string[] = [];
  let lastFlush = deps.now();
  let writing: Promise<void> = Promise.resolve();
  let leaseLost = false;
  const added: Array<{ status: q.DeliveryRecord["status"]; reason: string | null }> = [];

  const flush = () => {
    const rows = pending;
    const pruned = gone;
    pending = [];
    gone = [];
    lastFlush = deps.now();
    writing = writing.then(async () => {
      if (!rows.length) return;
      const now = deps.now();
      const lease = { batch: msg.batch, owner: leaseOwner, until: now + SEND_LEASE_MS };
      const result = await q.recordChunk(deps.db, msg.siteId, msg.notificationId, lease, rows, now);
      added.push(...result.added);
      if (!result.leaseHeld) leaseLost = true;
      if (pruned.length) await pruneSubscribers(deps.db, msg.siteId, pruned, now);
    });
    return writing;
  };

  return {
    add(record: q.DeliveryRecord) {
      pending.push(record);
      if (record.status === "pruned") gone.push(record.subscriberId);
      if (pending.length >= SEND_RECORD_CHUNK || deps.now() - lastFlush >= SEND_RECORD_MAX_WAIT_MS) return flush();
      return Promise.resolve();
    },
    flush,
    leaseLost: () => leaseLost,
    /** Before each new push: wait for a chunk being written (so unrecorded pushes stay bounded
     *  by one chunk plus those in flight), then go on unless the lease is gone or a write
     *  failed (the message then fails and retries). */
    proceed: () =>
      writing.then(
        () => !leaseLost,
        () => false,
      ),
    /** What the live counters get: the rows this message added. */
    added: () => added,
  };
}

/** `leaseOwner`: the message's lease key (queues/messages.ts), the same across its retries. */
export async function deliverBatch(deps: Deps, msg: DeliverMessage, attempt: number, leaseOwner: string, fetcher?: typeof fetch): Promise<DeliverResult> {
  const { siteId, notificationId } = msg;
  const notification = await q.findNotification(deps.db, siteId, notificationId);
  if (!notification) return { status: "skipped", reason: "not_found" };
  if (notification.status !== "sending") {
    await q.finishBatch(deps.db, notificationId, msg.batch, deps.now());
    return { status: "skipped", reason: notification.status };
  }
  if (!(await q.claimBatch(deps.db, notificationId, msg.batch, leaseOwner, deps.now(), SEND_LEASE_MS))) {
    // Finished already, or another message holds it: that one completes, retries or lets the
    // lease lapse for cron to recover — either way nothing is left for this duplicate to do.
    const batch = await q.findBatch(deps.db, notificationId, msg.batch);
    return { status: "skipped", reason: batch?.doneAt != null ? "done" : "leased" };
  }

  const recipients = await pendingRecipients(deps.db, siteId, notification.target as unknown as Target, notificationId, msg.fromId, msg.toId);
  const content = notification.content as unknown as NotificationContent;
  const site = await q.siteSettings(deps.db, siteId);
  const prefix = payloadPrefix(notificationId, content, { icon: site?.default_icon ?? null });
  const ttlS = content.ttl ?? site?.default_ttl_s ?? 0;
  // RFC 8030 §5.4: with a Topic, a copy still queued at the push service is replaced, not
  // stacked — the notification id is a valid topic (≤ 32 base64url characters).
  const topic = content.topic ?? notificationId;
  const signer = await signerFor(deps, siteId);
  const encoder = new TextEncoder();

  const recorder = chunkRecorder(deps, msg, leaseOwner);
  const counts = { sent: 0, failed: 0, pruned: 0 };
  let retryDelayS = 0;
  let retrying = 0;
  let vapidProblem: string | null = null;
  const lastAttempt = attempt >= SEND_MAX_ATTEMPTS;

  await pool(
    recipients,
    PUSH_CONCURRENCY,
    async (r) => {
      const token = await signEventToken(deps.env.JWT_SECRET, { siteId, notificationId, subscriberId: r.id });
      const body = await encryptPayload(encoder.encode(payloadFor(prefix, token)), r);
      const result = await sendPush({
        endpoint: r.endpoint,
        body,
        authorization: await signer.authorizationFor(r.endpoint),
        ttlS,
        urgency: content.urgency,
        topic,
        fetcher,
      });
      const outcome = classifyPushResult(result, attempt);
      const httpStatus = "status" in result ? result.status : null;
      switch (outcome.kind) {
        case "sent":
          counts.sent++;
          return recorder.add({ subscriberId: r.id, status: "sent", reason: null, httpStatus });
        case "gone":
          counts.pruned++;
          return recorder.add({ subscriberId: r.id, status: "pruned", reason: "gone", httpStatus });
        case "failed":
          counts.failed++;
          if (outcome.vapidProblem) vapidProblem = `${new URL(r.endpoint).host} answered HTTP ${httpStatus} (${outcome.reason})`;
          return recorder.add({ subscriberId: r.id, status: "failed", reason: outcome.reason, httpStatus });
        case "retry":
          if (lastAttempt) {
            counts.failed++;
            return recorder.add({ subscriberId: r.id, status: "failed", reason: outcome.reason, httpStatus });
          }
          retrying++;
          retryDelayS = Math.max(retryDelayS, outcome.delayS);
      }
    },
    recorder.proceed,
  );
  await recorder.flush();

  const added = recorder.added();
  if (added.length) await recordLive(deps.env, siteId, liveDelta(notificationId, added));
  if (vapidProblem) await updateSite(deps.db, siteId, { vapidWarning: `VAPID configuration: ${vapidProblem}` });
  // Taken over after our lease lapsed (we were far slower than SEND_LEASE_MS): the new holder
  // owns what is left, and it skips everyone we recorded.
  if (recorder.leaseLost()) return { status: "skipped", reason: "lease_lost" };
  if (retrying) {
    // Hold the batch through the delay, so only this message's retry resumes it.
    await q.renewLease(deps.db, notificationId, msg.batch, leaseOwner, deps.now() + retryDelayS * 1000 + SEND_LEASE_MS);
    return { status: "retry", delayS: retryDelayS, remaining: retrying };
  }

  await q.finishBatch(deps.db, notificationId, msg.batch, deps.now());
  return { status: "done", ...counts };
}
