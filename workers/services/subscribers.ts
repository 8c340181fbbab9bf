// Subscribers: the public subscribe/unsubscribe flow used by the SDK and service
// worker, and the site-scoped management API (list, edit, GDPR export and erasure).
import { KNOWN_PUSH_HOSTS } from "../config";
import * as q from "../db/queries/subscribers";
import { ApiError, invalidField } from "../errors";
import { fromBase64Url } from "../lib/encoding";
import { newId } from "../lib/ids";
import { parseUserAgent } from "../lib/user-agent";
import type { Deps } from "./deps";
import { enrollSubscriber } from "./drips";
import { verifyIdentity } from "./identity";
import { ensureUser } from "./users";
import { emitWebhookEvents, type WebhookEventInput } from "./webhooks/emit";
import { emitSubscriptionsEnded, subscriberCreated, subscriberDeleted } from "./webhooks/events";

export interface SubscribeInput {
  subscription: { endpoint: string; expirationTime?: number | null; keys: { p256dh: string; auth: string } };
  tags?: string[];
  external_id?: string | null;
  external_id_hash?: string;
  timezone?: string;
  language?: string;
  old_endpoint?: string;
}

export interface ClientInfo {
  userAgent?: string | null;
  country?: string | null;
}

/** Allowed: https on a known push service, or any origin listed in EXTRA_PUSH_ORIGINS (http allowed there only). */
export function isAllowedPushEndpoint(endpoint: string, extraOrigins: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  const extras = (extraOrigins ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (extras.includes(url.origin)) return true;
  if (url.protocol !== "https:" || url.username || url.password) return false;
  return KNOWN_PUSH_HOSTS.some((h) => (h.startsWith(".") ? url.hostname.endsWith(h) : url.hostname === h));
}

async function validateKeys(keys: { p256dh: string; auth: string }) {
  let p256dh: Uint8Array;
  let auth: Uint8Array;
  try {
    p256dh = fromBase64Url(keys.p256dh);
  } catch {
    throw invalidField("subscription.keys.p256dh", "Must be base64url.");
  }
  try {
    auth = fromBase64Url(keys.auth);
  } catch {
    throw invalidField("subscription.keys.auth", "Must be base64url.");
  }
  if (p256dh.length !== 65 || p256dh[0] !== 0x04) {
    throw invalidField("subscription.keys.p256dh", "Must be a 65-byte uncompressed P-256 point.");
  }
  try {
    await crypto.subtle.importKey("raw", p256dh, { name: "ECDH", namedCurve: "P-256" }, false, []);
  } catch {
    throw invalidField("subscription.keys.p256dh", "Is not a point on the P-256 curve.");
  }
  if (auth.length !== 16) throw invalidField("subscription.keys.auth", "Must be 16 bytes.");
}

export async function subscribe(deps: Deps, siteId: string, input: SubscribeInput, client: ClientInfo) {
  const { endpoint } = input.subscription;
  if (!isAllowedPushEndpoint(endpoint, deps.env.EXTRA_PUSH_ORIGINS)) {
    throw invalidField("subscription.endpoint", "Must be an https URL of a known push service.");
  }
  await validateKeys(input.subscription.keys);
  // A browser may only claim an identity the site's server signed (issue #7: otherwise anyone
  // could subscribe as "user-42" and receive that user's notifications). Clearing it is free.
  if (input.external_id != null) {
    await verifyIdentity(deps, siteId, input.external_id, input.external_id_hash);
    await ensureUser(deps, siteId, input.external_id); // the browser becomes one of the user's devices
  }
  const now = deps.now();
  const ua = parseUserAgent(client.userAgent);
  const row: q.SubscriberRow = {
    id: newId("sub", now),
    siteId,
    endpoint,
    p256dh: input.subscription.keys.p256dh,
    auth: input.subscription.keys.auth,
    expirationTime: input.subscription.expirationTime ?? null,
    tags: input.tags ?? [],
    externalId: input.external_id ?? null,
    browser: ua.browser,
    os: ua.os,
    language: input.language ?? null,
    timezone: input.timezone ?? null,
    country: client.country ?? null,
    active: true,
    subscribedAt: now,
    lastSeenAt: now,
    unsubscribedAt: null,
    unsubscribeReason: null,
  };
  const result = await q.upsertSubscriber(deps.db, row, { tags: input.tags, externalId: input.external_id });
  const events: WebhookEventInput[] = result.created ? [subscriberCreated(row)] : [];
  if (result.created) await enrollSubscriber(deps, siteId, result.id); // welcome drips (issue #10 §4)
  if (input.old_endpoint && input.old_endpoint !== endpoint) {
    const replaced = await q.deactivateByEndpoint(deps.db, siteId, input.old_endpoint, "replaced", now);
    events.push(...replaced.map((s) => subscriberDeleted(s, "replaced", now)));
  }
  // After the change, awaited (services/webhooks/emit.ts: why, and what a failure does).
  await emitWebhookEvents(deps, siteId, events);
  return { subscriber_id: result.id, created: result.created };
}

export async function unsubscribe(deps: Deps, siteId: string, endpoint: string): Promise<void> {
  const now = deps.now();
  const ended = await q.deactivateByEndpoint(deps.db, siteId, endpoint, "unsubscribed", now);
  await emitSubscriptionsEnded(deps, siteId, ended, "unsubscribed", now);
}

export interface SubscriberView {
  id: string;
  endpoint: string;
  tags: string[];
  external_id: string | null;
  browser: string | null;
  os: string | null;
  language: string | null;
  timezone: string | null;
  country: string | null;
  active: boolean;
  subscribed_at: number;
  last_seen_at: number;
  unsubscribed_at: number | null;
  unsubscribe_reason: string | null;
}

export const view = (s: q.SubscriberRow): SubscriberView => ({
  id: s.id,
  endpoint: s.endpoint,
  tags: s.tags,
  external_id: s.externalId,
  browser: s.browser,
  os: s.os,
  language: s.language,
  timezone: s.timezone,
  country: s.country,
  active: s.active,
  subscribed_at: s.subscribedAt,
  last_seen_at: s.lastSeenAt,
  unsubscribed_at: s.unsubscribedAt,
  unsubscribe_reason: s.unsubscribeReason,
});

export async function listSubscribers(deps: Deps, siteId: string, filter: q.SubscriberFilter, cursor: string | undefined, limit: number) {
  const rows = await q.listSubscribers(deps.db, siteId, filter, cursor, limit + 1);
  const page = rows.slice(0, limit);
  return { data: page.map(view), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

export async function getSubscriber(deps: Deps, siteId: string, id: string): Promise<SubscriberView> {
  const row = await q.findSubscriber(deps.db, siteId, id);
  if (!row) throw new ApiError("not_found", "Subscriber not found.");
  return view(row);
}

/** Replaces the given fields; a patch without fields is a no-op that returns the subscriber. */
export async function updateSubscriber(deps: Deps, siteId: string, id: string, patch: { tags?: string[]; external_id?: string | null }) {
  const current = await getSubscriber(deps, siteId, id);
  const changes = {
    ...(patch.tags !== undefined ? { tags: [...new Set(patch.tags)] } : {}),
    ...(patch.external_id !== undefined ? { externalId: patch.external_id } : {}),
  };
  if (Object.keys(changes).length === 0) return current; // drizzle refuses an UPDATE with no SET
  await q.updateSubscriber(deps.db, siteId, id, changes);
  return getSubscriber(deps, siteId, id);
}

export async function deleteSubscriber(deps: Deps, siteId: string, id: string): Promise<void> {
  const current = await getSubscriber(deps, siteId, id);
  await q.deleteSubscriber(deps.db, siteId, id);
  // An ended subscription had its subscriber.deleted already; erasing an active one ends it.
  if (current.active) await emitSubscriptionsEnded(deps, siteId, [{ id, externalId: current.external_id }], "erased", deps.now());
}

/** Everything stored about one subscriber (GDPR Art. 15 access request). */
export async function exportSubscriber(deps: Deps, siteId: string, id: string) {
  const row = await q.findSubscriber(deps.db, siteId, id);
  if (!row) throw new ApiError("not_found", "Subscriber not found.");
  const [deliveries, events] = await Promise.all([
    q.subscriberDeliveries(deps.db, siteId, id),
    q.subscriberEvents(deps.db, siteId, id),
  ]);
  return {
    exported_at: deps.now(),
    subscriber: { ...view(row), keys: { p256dh: row.p256dh, auth: row.auth }, expiration_time: row.expirationTime },
    deliveries: deliveries.map((d) => ({
      notification_id: d.notificationId,
      status: d.status,
      reason: d.reason,
      created_at: d.createdAt,
    })),
    events: events.map((e) => ({ type: e.type, action: e.action, notification_id: e.notificationId, created_at: e.createdAt })),
  };
}
