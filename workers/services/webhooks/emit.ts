// The emission API the rest of Herald calls when something a site may want to hear about
// happens: emitWebhookEvent(deps, siteId, type, data, { id }) or emitWebhookEvents for many.
//
// Cost: the site's enabled endpoints are cached per isolate for WEBHOOK_ENDPOINT_CACHE_MS, so an
// event nobody subscribed to costs no D1 read, no write and no queue send. Otherwise one D1
// batch records the events and a pending first attempt per subscribed endpoint, then one
// sendBatch enqueues those attempts.
//
// Idempotency: pass a deterministic `id` built from what happened (helpers below, e.g.
// messageEventId) whenever the caller can run twice (queue redeliveries, retried requests).
// (site, id) is unique in webhook_events and (endpoint, event, attempt 1) in the log, so a
// repeated emission adds nothing and enqueues nothing: each endpoint receives each event once.
// The guarantee lasts as long as the rows do (WEBHOOK_LOG_RETENTION_MS, 30 days).
//
// Failure (decided for issue #8 §6): emission is part of the caller's flow — awaited, no
// waitUntil. The event and its attempts are written to D1 before the caller goes on; if that
// write fails, the caller fails as it would for its own D1 writes (same database), and its retry
// emits again under the same id. A failed queue send never fails the caller: the attempts are
// already stored as pending, and housekeeping re-enqueues any left overdue for
// WEBHOOK_STALL_AFTER_MS. Events are delivered at least once; receivers drop repeats by
// the webhook-id header.
import { WEBHOOK_EMIT_CHUNK, WEBHOOK_ENDPOINT_CACHE_MAX_SITES, WEBHOOK_ENDPOINT_CACHE_MS } from "../../config";
import type { ChannelId } from "../../contracts/channels";
import type { WebhookEventData, WebhookEventType } from "../../contracts/webhook-events";
import * as q from "../../db/queries/webhooks";
import { newId } from "../../lib/ids";
import { enqueueWebhookAttempts } from "../../queues/webhook-messages";
import type { Deps } from "../deps";

export interface WebhookEventInput<T extends WebhookEventType = WebhookEventType> {
  type: T;
  data: WebhookEventData<T>;
  /** Deterministic id of what happened (see the helpers below); a random whe_… id when absent. */
  id?: string;
  /** When it happened (unix ms, the payload's timestamp); now when absent. */
  at?: number;
}

export interface EmitResult {
  /** Attempts written and enqueued (0: nobody subscribed, or all of it was emitted before). */
  queued: number;
}

// ─── Deterministic event ids ─────────────────────────────────────────────────

/** message.sent / delivered / failed of one message to one recipient on one channel. */
export const messageEventId = (messageId: string, channel: ChannelId, recipientId: string, outcome: "sent" | "delivered" | "failed") =>
  `msg_${messageId}_${channel}_${recipientId}_${outcome}`;
export const notificationSentEventId = (notificationId: string) => `ntf_${notificationId}_sent`;
/** Events are unique per (delivery, type), and so is the first click's webhook. */
export const clickEventId = (notificationId: string, subscriberId: string) => `clk_${notificationId}_${subscriberId}`;
export const subscriberCreatedEventId = (subscriberId: string) => `sub_${subscriberId}_created`;
/** A subscription can end more than once (re-subscribed in between): the end's time tells them apart. */
export const subscriberDeletedEventId = (subscriberId: string, at: number) => `sub_${subscriberId}_deleted_${at}`;

// ─── Which endpoints listen (cached per isolate) ─────────────────────────────

interface Listener {
  id: string;
  /** null: every type. */
  types: ReadonlySet<string> | null;
}
const listenersBySite = new Map<string, { at: number; listeners: Promise<Listener[]> }>();

function listeners(deps: Deps, siteId: string): Promise<Listener[]> {
  const now = deps.now();
  const cached = listenersBySite.get(siteId);
  if (cached && now >= cached.at && now - cached.at < WEBHOOK_ENDPOINT_CACHE_MS) return cached.listeners;
  const loading = q.enabledEndpoints(deps.db, siteId).then((rows) => rows.map((r) => ({ id: r.id, types: r.eventTypes ? new Set(r.eventTypes) : null })));
  listenersBySite.delete(siteId); // re-inserted last: the map's order is the eviction order
  listenersBySite.set(siteId, { at: now, listeners: loading });
  loading.catch(() => listenersBySite.delete(siteId));
  if (listenersBySite.size > WEBHOOK_ENDPOINT_CACHE_MAX_SITES) listenersBySite.delete(listenersBySite.keys().next().value!);
  return loading;
}

/** Drops this isolate's cached endpoints of the site (after a change to its endpoints). */
export function forgetWebhookEndpoints(siteId: string): void {
  listenersBySite.delete(siteId);
}

/** Whether any enabled endpoint of the site takes this type: lets a caller skip preparing an
 *  event's data (an extra read) that nobody would receive. Cached like emission. */
export async function hasWebhookListeners(deps: Deps, siteId: string, type: WebhookEventType): Promise<boolean> {
  return (await listeners(deps, siteId)).some((l) => !l.types || l.types.has(type));
}

// ─── Emission ────────────────────────────────────────────────────────────────

export function emitWebhookEvent<T extends WebhookEventType>(
  deps: Deps,
  siteId: string,
  type: T,
  data: WebhookEventData<T>,
  opts: { id?: string; at?: number } = {},
): Promise<EmitResult> {
  return emitWebhookEvents(deps, siteId, [{ type, data, ...opts } as WebhookEventInput]);
}

export async function emitWebhookEvents(deps: Deps, siteId: string, events: WebhookEventInput[]): Promise<EmitResult> {
  if (!events.length) return { queued: 0 };
  const endpoints = await listeners(deps, siteId);
  if (!endpoints.length) return { queued: 0 };
  const now = deps.now();
  const rows: q.EmittedEvent[] = [];
  const pairs: Array<{ deliveryId: string; endpointId: string; eventId: string }> = [];
  for (const e of events) {
    const takers = endpoints.filter((l) => !l.types || l.types.has(e.type));
    if (!takers.length) continue;
    const at = e.at ?? now;
    const row = { id: e.id ?? newId("whe", at), type: e.type, data: e.data as Record<string, unknown>, at };
    rows.push(row);
    for (const l of takers) pairs.push({ deliveryId: newId("whd", now), endpointId: l.id, eventId: row.id });
  }
  if (!rows.length) return { queued: 0 };

  const added: Array<{ id: string }> = [];
  for (let i = 0; i < rows.length; i += WEBHOOK_EMIT_CHUNK) {
    const chunk = rows.slice(i, i + WEBHOOK_EMIT_CHUNK);
    const ids = new Set(chunk.map((r) => r.id));
    added.push(...(await q.insertEventsWithAttempts(deps.db, siteId, chunk, pairs.filter((p) => ids.has(p.eventId)), now)));
  }
  if (!added.length) return { queued: 0 };
  try {
    await enqueueWebhookAttempts(deps.env.WEBHOOK_QUEUE, added.map((a) => ({ siteId, deliveryId: a.id })));
  } catch (err) {
    // Stored as pending: housekeeping re-enqueues them once overdue (see the header).
    console.error("webhooks: enqueue failed; housekeeping will re-enqueue", siteId, added.length, err instanceof Error ? err.message : err);
  }
  return { queued: added.length };
}
