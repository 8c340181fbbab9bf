// Outbound webhooks' contract (issue #8 §6): the catalogue of event types a site can subscribe an
// endpoint to, each event's payload (zod, so the OpenAPI document describes every one under
// `webhooks`), and the shapes of the webhooks API that the dashboard renders. Defined once:
// services/webhooks emits and signs these, routes/webhooks.ts documents them, the dashboard
// offers the types with their descriptions.
//
// Every delivery is a Standard Webhooks payload — { type, timestamp, data } — signed with the
// headers webhook-id (the same on every retry and replay of one event to one endpoint, for the
// receiver to drop duplicates), webhook-timestamp and webhook-signature.
import { z } from "@hono/zod-openapi";
import { CHANNEL_IDS } from "./channels";

export const WEBHOOK_EVENT_TYPES = [
  "message.sent",
  "message.delivered",
  "message.failed",
  "notification.sent",
  "notification.clicked",
  "subscriber.created",
  "subscriber.deleted",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by "Send test event" (POST …/webhooks/{id}/test); nobody subscribes to it. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

/** What each type means, as the person choosing an endpoint's events reads it. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  "message.sent": "A message was handed to its channel's provider for one recipient",
  "message.delivered": "The provider confirmed a message reached the recipient",
  "message.failed": "A message could not be delivered to one recipient",
  "notification.sent": "A notification finished sending to its whole audience",
  "notification.clicked": "Someone clicked a notification (first click per delivery)",
  "subscriber.created": "A device was registered: a browser subscribed to web push, or a mobile app's FCM token",
  "subscriber.deleted": "A device was unregistered: unsubscribed or removed, replaced, gone at the push service, or erased",
};

const Iso = z.iso.datetime().openapi({ example: "2026-08-15T09:30:00.000Z" });
const Channel = z.enum(CHANNEL_IDS).openapi({ example: "email" });

const MessageBase = {
  message_id: z.string().openapi({ description: "The message (or notification) id", example: "ntf_01jd0000000000000000000000" }),
  channel: Channel,
  recipient_id: z.string().openapi({ description: "Who it went to on this channel: a subscriber, a user or a device id", example: "eu_01jd0000000000000000000000" }),
  external_id: z.string().nullable().openapi({ description: "The site's own id for the recipient, when known", example: "user-42" }),
};

/** `data` of each event type. */
export const WEBHOOK_EVENT_DATA = {
  "message.sent": z.object({ ...MessageBase, sent_at: Iso }).openapi("WebhookMessageSent"),
  "message.delivered": z
    .object({ ...MessageBase, delivered_at: Iso, provider_status: z.string().nullable().openapi({ example: "delivered" }) })
    .openapi("WebhookMessageDelivered"),
  "message.failed": z
    .object({
      ...MessageBase,
      failed_at: Iso,
      reason: z.string().openapi({ description: "A contracts/failure-reasons.ts code, or http_<status>", example: "invalid_address" }),
      provider_code: z.string().nullable().openapi({ description: "The provider's own error code, when it gave one", example: "21211" }),
    })
    .openapi("WebhookMessageFailed"),
  "notification.sent": z
    .object({
      notification_id: z.string(),
      targeted: z.number().int().openapi({ description: "Recipients the send was planned for" }),
      sent: z.number().int(),
      failed: z.number().int(),
      pruned: z.number().int().openapi({ description: "Addresses found gone and removed" }),
      completed_at: Iso,
    })
    .openapi("WebhookNotificationSent"),
  "notification.clicked": z
    .object({
      notification_id: z.string(),
      subscriber_id: z.string(),
      external_id: z.string().nullable(),
      action: z.string().nullable().openapi({ description: "The action button clicked; null for the notification itself" }),
      clicked_at: Iso,
    })
    .openapi("WebhookNotificationClicked"),
  "subscriber.created": z
    .object({
      subscriber_id: z.string().openapi({ description: "The push subscription (web_push) or mobile device (fcm)" }),
      channel: z.enum(["web_push", "fcm"]),
      external_id: z.string().nullable(),
      tags: z.array(z.string()),
      browser: z.string().nullable(),
      os: z.string().nullable().openapi({ description: "For FCM: android or ios" }),
      language: z.string().nullable(),
      country: z.string().nullable(),
      subscribed_at: Iso,
    })
    .openapi("WebhookSubscriberCreated"),
  "subscriber.deleted": z
    .object({
      subscriber_id: z.string().openapi({ description: "The push subscription (web_push) or mobile device (fcm)" }),
      channel: z.enum(["web_push", "fcm"]),
      external_id: z.string().nullable(),
      reason: z.enum(["unsubscribed", "replaced", "gone", "erased"]).openapi({
        description:
          "unsubscribed: by the visitor (or the device removed through the API); replaced: the browser renewed it; gone: the push service or FCM dropped it; erased: its user was erased",
      }),
      deleted_at: Iso,
    })
    .openapi("WebhookSubscriberDeleted"),
} as const satisfies Record<WebhookEventType, z.ZodType>;

export const WebhookTestData = z
  .object({ endpoint_id: z.string(), message: z.string().openapi({ example: "This is a test event from Herald." }) })
  .openapi("WebhookTest");

export type WebhookEventData<T extends WebhookEventType> = z.infer<(typeof WEBHOOK_EVENT_DATA)[T]>;

/** The Standard Webhooks envelope every delivery carries. */
export const webhookPayloadSchema = (type: string, data: z.ZodType) =>
  z.object({
    type: z.literal(type),
    timestamp: Iso.openapi({ description: "When the event happened" }),
    data,
  });

export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

// ─── The webhooks API's shapes (routes/webhooks.ts; the dashboard) ──────────

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed", "skipped"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  /** null: every event type, including ones added later. */
  event_types: WebhookEventType[] | null;
  enabled: boolean;
  /** Why Herald disabled it (after failing for days); null when enabled or disabled by a person. */
  disabled_reason: string | null;
  disabled_at: number | null;
  /** Every attempt since this time failed (unix ms); null when the last one succeeded. */
  failing_since: number | null;
  /** The secret's last four characters, to recognise it. */
  secret_hint: string;
  /** Until when the secret replaced by the last rotation still signs (unix ms). */
  previous_secret_valid_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface IssuedWebhookEndpoint extends WebhookEndpointView {
  /** whsec_…: shown once, only its seal is stored. */
  secret: string;
}

export interface WebhookDeliveryView {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  /** The webhook-id header: the same on every attempt of this event to this endpoint. */
  webhook_id: string;
  /** scheduled: the retry schedule; replay and test: sent on request. */
  kind: "scheduled" | "replay" | "test";
  /** 1…8 for scheduled attempts. */
  attempt: number;
  status: WebhookDeliveryStatus;
  response_status: number | null;
  response_body: string | null;
  /** http_<status>, a safe-fetch reason (timeout, connect_failed, …) or endpoint_disabled. */
  error: string | null;
  error_detail: string | null;
  duration_ms: number | null;
  attempted_at: number | null;
  /** Pending: when it will be sent. Failed: when the next attempt is scheduled (null: none). */
  next_attempt_at: number | null;
  created_at: number;
}
