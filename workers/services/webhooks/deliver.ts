// One delivery attempt of one event to one endpoint, and the three ways one starts: the queue
// (scheduled attempts, runQueuedAttempt), a replay of a logged delivery and a test event (both
// sent during the request, so the person sees the answer at once).
//
// An attempt: the endpoint and event are read from D1, the payload { type, timestamp, data } is
// signed (signing.ts) and POSTed through safeFetch — the SSRF policy re-checked on every hop,
// DNS included — then the outcome is recorded with the endpoint's health and, for a failed
// scheduled attempt, the next one (schedule.ts), which is enqueued with its delay. Secrets are
// opened only here, for the signature; they are never logged, stored in the log or queued.
import { WEBHOOK_ATTEMPT_LEASE_MS, WEBHOOK_DUE_SLACK_MS, WEBHOOK_QUEUE_DELAY_MAX_S, WEBHOOK_RESPONSE_EXCERPT_BYTES, WEBHOOK_TIMEOUT_MS } from "../../config";
import { WEBHOOK_TEST_EVENT, type WebhookDeliveryView, type WebhookPayload } from "../../contracts/webhook-events";
import * as q from "../../db/queries/webhooks";
import { ApiError } from "../../errors";
import { newId } from "../../lib/ids";
import { outboundPolicy, safeFetch } from "../../lib/safe-fetch";
import { enqueueWebhookAttempts } from "../../queues/webhook-messages";
import type { Deps } from "../deps";
import { forgetWebhookEndpoints } from "./emit";
import { signingSecrets } from "./endpoints";
import { deliveryView } from "./log";
import { disabledReason, disableThreshold, isDelivered, nextAttempt } from "./schedule";
import { signedHeaders, webhookMessageId } from "./signing";

export const USER_AGENT = "Herald-Webhooks/1.0 (+https://www.standardwebhooks.com)";

/** The first WEBHOOK_RESPONSE_EXCERPT_BYTES of the answer, without a character cut in half. */
function excerpt(bytes: Uint8Array): string | null {
  if (!bytes.length) return null;
  const text = new TextDecoder().decode(bytes.subarray(0, WEBHOOK_RESPONSE_EXCERPT_BYTES));
  return bytes.length > WEBHOOK_RESPONSE_EXCERPT_BYTES ? text.replace(/\uFFFD+$/, "") : text;
}

const payloadOf = (event: q.WebhookEventRow): WebhookPayload => ({ type: event.type, timestamp: new Date(event.createdAt).toISOString(), data: event.data });

/** Sends the claimed attempt `row` and records what came of it; false when its endpoint is gone. */
async function attempt(deps: Deps, row: q.WebhookDeliveryRow): Promise<boolean> {
  const endpoint = await q.findEndpoint(deps.db, row.siteId, row.endpointId);
  if (!endpoint) return false; // deleted meanwhile: its log went with it
  const base = { responseStatus: null, responseBody: null, durationMs: null, next: null, disableIfFailingSince: 0, disabledReason: "" };
  if (row.kind === "scheduled" && !endpoint.enabled) {
    const detail = "Not sent: the endpoint was disabled. Replay it once the endpoint is enabled again.";
    await q.recordAttempt(deps.db, row, { ...base, status: "skipped", error: "endpoint_disabled", errorDetail: detail, attemptedAt: deps.now(), health: "unchanged" });
    return true;
  }
  const event = await q.findEvent(deps.db, row.siteId, row.eventId);
  if (!event) {
    const detail = "Not sent: the event is no longer stored (events are kept 30 days).";
    await q.recordAttempt(deps.db, row, { ...base, status: "failed", error: "event_expired", errorDetail: detail, attemptedAt: deps.now(), health: "unchanged" });
    return true;
  }

  const body = JSON.stringify(payloadOf(event));
  const sentAt = deps.now();
  const headers = signedHeaders({
    messageId: await webhookMessageId(endpoint.id, event.id),
    at: new Date(sentAt),
    body,
    secrets: await signingSecrets(deps, endpoint),
  });
  const started = Date.now(); // real elapsed time, whatever clock deps carries
  const res = await safeFetch(endpoint.url, {
    fetcher: deps.fetch,
    ...outboundPolicy(deps.env),
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...headers },
    body,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    now: deps.now,
  });
  const durationMs = Date.now() - started;
  const now = deps.now();
  const delivered = res.ok && isDelivered(res.status);
  const outcome: q.AttemptOutcome = delivered
    ? { ...base, status: "succeeded", responseStatus: res.status, responseBody: excerpt(res.bytes), error: null, errorDetail: null, durationMs, attemptedAt: now, health: "ok" }
    : {
        ...base,
        status: "failed",
        responseStatus: res.ok ? res.status : null,
        responseBody: res.ok ? excerpt(res.bytes) : null,
        error: res.ok ? `http_${res.status}` : res.reason,
        errorDetail: res.ok ? `The endpoint answered HTTP ${res.status}; only a 2xx answer counts as delivered.` : res.message,
        durationMs,
        attemptedAt: now,
        health: "failing",
        disableIfFailingSince: disableThreshold(now),
      };
  if (!delivered) {
    outcome.disabledReason = disabledReason(now, outcome.errorDetail!);
    const next = row.kind === "scheduled" ? nextAttempt(row.attempt, now) : null;
    if (next) outcome.next = { id: newId("whd", now), attempt: next.attempt, dueAt: next.dueAt };
  }
  const recorded = await q.recordAttempt(deps.db, row, outcome);
  if (recorded.disabled) {
    forgetWebhookEndpoints(row.siteId);
    console.warn("webhooks: endpoint disabled after failing", row.siteId, row.endpointId);
  }
  if (recorded.scheduled && outcome.next) {
    try {
      await enqueueWebhookAttempts(deps.env.WEBHOOK_QUEUE, [{ siteId: row.siteId, deliveryId: outcome.next.id, delayS: Math.round((outcome.next.dueAt - now) / 1000) }]);
    } catch (err) {
      // Stored as pending: housekeeping re-enqueues it once overdue.
      console.error("webhooks: could not enqueue the next attempt", row.siteId, outcome.next.id, err instanceof Error ? err.message : err);
    }
  }
  return true;
}

export type QueuedAttemptResult = { status: "done" } | { status: "retry"; delayS: number };

/** The queue consumer's work for one message: claim the attempt, send it, record it. Another
 *  message already working on it (a duplicate) waits for its lease; a finished one is done. */
export async function runQueuedAttempt(deps: Deps, siteId: string, deliveryId: string): Promise<QueuedAttemptResult> {
  const now = deps.now();
  const claimed = await q.claimDelivery(deps.db, siteId, deliveryId, { now, dueBy: now + WEBHOOK_DUE_SLACK_MS, leaseUntil: now + WEBHOOK_ATTEMPT_LEASE_MS });
  if (claimed) {
    await attempt(deps, claimed);
    return { status: "done" };
  }
  const current = await q.findDeliveryById(deps.db, siteId, deliveryId);
  // Held by another message (a duplicate): come back when its lease ends. Not due yet (a message
  // that came early): come back when it is. Anything else is finished, or gone with its endpoint.
  const until = current?.status === "sending" ? current.leaseUntil : current?.status === "pending" ? current.nextAttemptAt : null;
  if (until && until > now) return { status: "retry", delayS: Math.min(WEBHOOK_QUEUE_DELAY_MAX_S, Math.ceil((until - now) / 1000)) };
  return { status: "done" };
}

async function sendNow(deps: Deps, endpoint: q.WebhookEndpointRow, event: { id: string; type: string }, kind: "replay" | "test"): Promise<WebhookDeliveryView> {
  const now = deps.now();
  const row: q.WebhookDeliveryRow = {
    id: newId("whd", now),
    siteId: endpoint.siteId,
    endpointId: endpoint.id,
    eventId: event.id,
    eventType: event.type,
    kind,
    attempt: 1,
    status: "sending",
    responseStatus: null,
    responseBody: null,
    error: null,
    errorDetail: null,
    durationMs: null,
    attemptedAt: null,
    nextAttemptAt: null,
    leaseUntil: now + WEBHOOK_ATTEMPT_LEASE_MS,
    createdAt: now,
  };
  await q.insertDelivery(deps.db, row);
  const recorded = (await attempt(deps, row)) && (await q.findDeliveryById(deps.db, row.siteId, row.id));
  if (!recorded) throw new ApiError("not_found", "Webhook endpoint not found.");
  return deliveryView(recorded);
}

async function loadEndpoint(deps: Deps, siteId: string, endpointId: string) {
  const endpoint = await q.findEndpoint(deps.db, siteId, endpointId);
  if (!endpoint) throw new ApiError("not_found", "Webhook endpoint not found.");
  return endpoint;
}

/** Sends the logged delivery's event to its endpoint again, now, with the same webhook-id. */
export async function replayDelivery(deps: Deps, siteId: string, endpointId: string, deliveryId: string): Promise<WebhookDeliveryView> {
  const endpoint = await loadEndpoint(deps, siteId, endpointId);
  const original = await q.findDelivery(deps.db, siteId, endpointId, deliveryId);
  if (!original) throw new ApiError("not_found", "Delivery not found.");
  if (!(await q.findEvent(deps.db, siteId, original.eventId))) throw new ApiError("invalid_state", "This event is no longer stored (events are kept 30 days), so it cannot be replayed.");
  return sendNow(deps, endpoint, { id: original.eventId, type: original.eventType }, "replay");
}

/** Sends a webhook.test event to the endpoint now (enabled or not), so its receiver can be checked. */
export async function sendTestEvent(deps: Deps, siteId: string, endpointId: string): Promise<WebhookDeliveryView> {
  const endpoint = await loadEndpoint(deps, siteId, endpointId);
  const now = deps.now();
  const event = { siteId, id: newId("whe", now), type: WEBHOOK_TEST_EVENT, data: { endpoint_id: endpoint.id, message: "This is a test event from Herald." }, createdAt: now };
  await q.insertEvent(deps.db, event);
  return sendNow(deps, endpoint, event, "test");
}
