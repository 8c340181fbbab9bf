// The events Herald's own flows emit, built from their rows: subscriber.created / deleted
// (services/subscribers.ts, the web push channel's prune), notification.clicked
// (services/events.ts) and notification.sent (the send queue's consumers, once a notification
// completes). Each has a deterministic id (emit.ts), so a flow that runs twice emits once.
// message.* events are emitted by the sender with messageEventId() and emitWebhookEvents.
import { deliveryCounts } from "../../db/queries/events";
import { findNotification } from "../../db/queries/notifications";
import { findSubscriber, type SubscriberRow } from "../../db/queries/subscribers";
import type { Deps } from "../deps";
import {
  clickEventId,
  emitWebhookEvent,
  emitWebhookEvents,
  hasWebhookListeners,
  notificationSentEventId,
  subscriberCreatedEventId,
  subscriberDeletedEventId,
  type WebhookEventInput,
} from "./emit";

const iso = (ms: number) => new Date(ms).toISOString();

export type SubscriptionEnd = "unsubscribed" | "replaced" | "gone" | "erased";

export function subscriberCreated(row: SubscriberRow): WebhookEventInput<"subscriber.created"> {
  return {
    type: "subscriber.created",
    id: subscriberCreatedEventId(row.id),
    at: row.subscribedAt,
    data: {
      subscriber_id: row.id,
      channel: "web_push",
      external_id: row.externalId,
      tags: row.tags,
      browser: row.browser,
      os: row.os,
      language: row.language,
      country: row.country,
      subscribed_at: iso(row.subscribedAt),
    },
  };
}

export function subscriberDeleted(
  s: { id: string; externalId: string | null },
  reason: SubscriptionEnd,
  at: number,
  channel: "web_push" | "fcm" = "web_push",
): WebhookEventInput<"subscriber.deleted"> {
  return {
    type: "subscriber.deleted",
    id: subscriberDeletedEventId(s.id, at),
    at,
    data: { subscriber_id: s.id, channel, external_id: s.externalId, reason, deleted_at: iso(at) },
  };
}

/** A mobile app's FCM token registered for a user: a device, like a browser's subscription. */
export function deviceRegistered(d: { id: string; externalId: string; platform: string; createdAt: number }): WebhookEventInput<"subscriber.created"> {
  return {
    type: "subscriber.created",
    id: subscriberCreatedEventId(d.id),
    at: d.createdAt,
    data: { subscriber_id: d.id, channel: "fcm", external_id: d.externalId, tags: [], browser: null, os: d.platform, language: null, country: null, subscribed_at: iso(d.createdAt) },
  };
}

/** subscriber.deleted for FCM devices that were unregistered (removed, gone, erased). */
export const emitDevicesEnded = (deps: Deps, siteId: string, ended: Array<{ id: string; externalId: string | null }>, reason: SubscriptionEnd, at: number) =>
  emitWebhookEvents(deps, siteId, ended.map((d) => subscriberDeleted(d, reason, at, "fcm")));

/** subscriber.deleted for each subscription that ended (pruned by the push service, unsubscribed…). */
export const emitSubscriptionsEnded = (deps: Deps, siteId: string, ended: Array<{ id: string; externalId: string | null }>, reason: SubscriptionEnd, at: number) =>
  emitWebhookEvents(deps, siteId, ended.map((s) => subscriberDeleted(s, reason, at)));

/** notification.clicked for the first click of a delivery (the caller knows it is the first). */
export async function emitFirstClick(deps: Deps, ref: { siteId: string; notificationId: string; subscriberId: string }, action: string | null, at: number) {
  if (!(await hasWebhookListeners(deps, ref.siteId, "notification.clicked"))) return;
  const subscriber = await findSubscriber(deps.db, ref.siteId, ref.subscriberId);
  await emitWebhookEvent(
    deps,
    ref.siteId,
    "notification.clicked",
    { notification_id: ref.notificationId, subscriber_id: ref.subscriberId, external_id: subscriber?.externalId ?? null, action, clicked_at: iso(at) },
    { id: clickEventId(ref.notificationId, ref.subscriberId), at },
  );
}

/**
 * notification.sent once the notification has completed. Called after every batch a send
 * finishes (and after a plan that found nobody): only the call that finds it completed emits,
 * and its id makes concurrent last batches emit once. Costs nothing for a site that has no
 * endpoint taking notification.sent.
 */
export async function emitNotificationSentIfCompleted(deps: Deps, siteId: string, notificationId: string) {
  if (!(await hasWebhookListeners(deps, siteId, "notification.sent"))) return;
  const n = await findNotification(deps.db, siteId, notificationId);
  if (!n || n.status !== "completed") return;
  const counts = { sent: 0, failed: 0, pruned: 0 };
  for (const row of await deliveryCounts(deps.db, siteId, notificationId)) {
    if (row.status in counts) counts[row.status as keyof typeof counts] += row.n;
  }
  const at = n.completedAt ?? deps.now();
  await emitWebhookEvent(deps, siteId, "notification.sent", { notification_id: n.id, targeted: n.targeted, ...counts, completed_at: iso(at) }, { id: notificationSentEventId(n.id), at });
}
