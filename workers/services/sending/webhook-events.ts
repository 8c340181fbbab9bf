// The sender's and the status callbacks' webhook events (issue #8 §6) for messages (POST
// …/messages): message.sent and message.failed per recipient and channel as outcomes are
// recorded, message.delivered / message.failed when the provider reports later. Campaigns
// report once, as notification.sent. Ids are deterministic (messageEventId), so the emission a
// redelivered batch or a repeated callback repeats is dropped by services/webhooks.
import type { ChannelId } from "../../contracts/channels";
import type { DeliveryRecord, NotificationRow } from "../../db/queries/notifications";
import { externalIdsOf } from "../../db/queries/recipients";
import type { Deps } from "../deps";
import { emitWebhookEvents, hasWebhookListeners, messageEventId, type WebhookEventInput } from "../webhooks/emit";

const iso = (ms: number) => new Date(ms).toISOString();

/** Before a chunk of outcomes is written: a crash after this re-sends nothing recorded, and
 *  re-emits (deduplicated) what was not. */
export async function emitSendOutcomes(deps: Deps, n: NotificationRow, channel: ChannelId, rows: DeliveryRecord[], externalIds: Map<string, string | null | undefined>) {
  if (n.kind !== "message" || !rows.length) return;
  const now = deps.now();
  const events: WebhookEventInput[] = rows.map((r) => {
    const base = { message_id: n.id, channel, recipient_id: r.subscriberId, external_id: externalIds.get(r.subscriberId) ?? null };
    return r.status === "sent"
      ? { type: "message.sent", id: messageEventId(n.id, channel, r.subscriberId, "sent"), at: now, data: { ...base, sent_at: iso(now) } }
      : {
          type: "message.failed",
          id: messageEventId(n.id, channel, r.subscriberId, "failed"),
          at: now,
          data: { ...base, failed_at: iso(now), reason: r.reason ?? "gone", provider_code: r.providerCode ?? null },
        };
  });
  await emitWebhookEvents(deps, n.siteId, events);
}

/** What a provider reported later about deliveries of messages. */
export async function emitProviderReports(
  deps: Deps,
  siteId: string,
  channel: ChannelId,
  rows: Array<{ notificationId: string; recipientId: string }>,
  report: { status: "delivered" | "bounced" | "undelivered" | "failed"; providerCode?: string },
) {
  const type = report.status === "delivered" ? "message.delivered" : "message.failed";
  if (!rows.length || !(await hasWebhookListeners(deps, siteId, type))) return;
  const now = deps.now();
  const externalIds = await externalIdsOf(deps.db, siteId, rows.map((r) => r.recipientId));
  const events: WebhookEventInput[] = rows.map((r) => {
    const base = { message_id: r.notificationId, channel, recipient_id: r.recipientId, external_id: externalIds.get(r.recipientId) ?? null };
    return type === "message.delivered"
      ? { type, id: messageEventId(r.notificationId, channel, r.recipientId, "delivered"), at: now, data: { ...base, delivered_at: iso(now), provider_status: report.status } }
      : {
          type,
          id: messageEventId(r.notificationId, channel, r.recipientId, "failed"),
          at: now,
          data: { ...base, failed_at: iso(now), reason: report.status, provider_code: report.providerCode ?? null },
        };
  });
  await emitWebhookEvents(deps, siteId, events);
}
