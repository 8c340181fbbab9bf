// The sender: delivers one batch (a subscriber-id range) of one notification.
// Loads only subscribers in the range that have no delivery row yet — so a
// redelivered message never sends twice to anyone already sent to — encrypts and
// POSTs with at most PUSH_CONCURRENCY requests in flight, records one delivery row
// per subscriber, prunes gone subscriptions, and says whether the rest must retry.
import { PUSH_CONCURRENCY, SEND_MAX_ATTEMPTS } from "../../config";
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

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Writes delivery rows, then feeds the live counters with the rows that were new. */
export async function recordOutcomes(deps: Deps, siteId: string, notificationId: string, records: q.DeliveryRecord[], now: number) {
  const added = await q.insertDeliveries(deps.db, siteId, notificationId, records, now);
  if (!added.length) return;
  const counts = { sent: 0, failed: 0, pruned: 0 };
  const failedByReason: Record<string, number> = {};
  for (const row of added) {
    counts[row.status]++;
    if (row.status === "failed") failedByReason[row.reason ?? "unknown"] = (failedByReason[row.reason ?? "unknown"] ?? 0) + 1;
  }
  await recordLive(deps.env, siteId, { notificationId, counts, failedByReason });
}

export async function deliverBatch(deps: Deps, msg: DeliverMessage, attempt: number, fetcher?: typeof fetch): Promise<DeliverResult> {
  const { siteId, notificationId } = msg;
  const notification = await q.findNotification(deps.db, siteId, notificationId);
  if (!notification) return { status: "skipped", reason: "not_found" };
  if (notification.status !== "sending") {
    await q.finishBatch(deps.db, notificationId, msg.batch, deps.now());
    return { status: "skipped", reason: notification.status };
  }

  const recipients = await pendingRecipients(deps.db, siteId, notification.target as unknown as Target, notificationId, msg.fromId, msg.toId);
  const content = notification.content as unknown as NotificationContent;
  const site = await q.siteSettings(deps.db, siteId);
  const prefix = payloadPrefix(notificationId, content, { icon: site?.default_icon ?? null });
  const ttlS = content.ttl ?? site?.default_ttl_s ?? 0;
  const signer = await signerFor(deps, siteId);
  const encoder = new TextEncoder();

  const records: q.DeliveryRecord[] = [];
  const gone: string[] = [];
  let retryDelayS = 0;
  let retrying = 0;
  let vapidProblem: string | null = null;
  const lastAttempt = attempt >= SEND_MAX_ATTEMPTS;

  await pool(recipients, PUSH_CONCURRENCY, async (r) => {
    const token = await signEventToken(deps.env.JWT_SECRET, { siteId, notificationId, subscriberId: r.id });
    const body = await encryptPayload(encoder.encode(payloadFor(prefix, token)), r);
    const result = await sendPush({
      endpoint: r.endpoint,
      body,
      authorization: await signer.authorizationFor(r.endpoint),
      ttlS,
      urgency: content.urgency,
      topic: content.topic,
      fetcher,
    });
    const outcome = classifyPushResult(result, attempt);
    const httpStatus = "status" in result ? result.status : null;
    switch (outcome.kind) {
      case "sent":
        records.push({ subscriberId: r.id, status: "sent", reason: null, httpStatus });
        break;
      case "gone":
        records.push({ subscriberId: r.id, status: "pruned", reason: "gone", httpStatus });
        gone.push(r.id);
        break;
      case "failed":
        records.push({ subscriberId: r.id, status: "failed", reason: outcome.reason, httpStatus });
        if (outcome.vapidProblem) vapidProblem = `${new URL(r.endpoint).host} answered HTTP ${httpStatus} (${outcome.reason})`;
        break;
      case "retry":
        if (lastAttempt) records.push({ subscriberId: r.id, status: "failed", reason: outcome.reason, httpStatus });
        else {
          retrying++;
          retryDelayS = Math.max(retryDelayS, outcome.delayS);
        }
        break;
    }
  });

  const now = deps.now();
  if (records.length) await recordOutcomes(deps, siteId, notificationId, records, now);
  if (gone.length) await pruneSubscribers(deps.db, siteId, gone, now);
  if (vapidProblem) await updateSite(deps.db, siteId, { vapidWarning: `VAPID configuration: ${vapidProblem}` });
  if (retrying) return { status: "retry", delayS: retryDelayS, remaining: retrying };

  await q.finishBatch(deps.db, notificationId, msg.batch, now);
  const count = (s: string) => records.filter((r) => r.status === s).length;
  return { status: "done", sent: count("sent"), failed: count("failed"), pruned: count("pruned") };
}
