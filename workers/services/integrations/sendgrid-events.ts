// SendGrid Event Webhook posts for one integration (routes/callbacks/sendgrid.ts): verified with
// the integration's own verification key, then each delivered / bounce / dropped event moves
// the delivery SendGrid's message id names (services/sending/status.ts). Safe to receive twice:
// a repeated event sets the same status. Answers never say more than "no" to a bad post.
import { SENDGRID_EVENT_WEBHOOK_TOLERANCE_S } from "../../config";
import { ApiError } from "../../errors";
import type { SendGridSettings } from "../../providers/sendgrid/credentials";
import { parseEvents, verifyEventWebhook } from "../../providers/sendgrid/event-webhook";
import type { Deps } from "../deps";
import { recordProviderStatus } from "../sending/status";
import { integrationForCallback } from "./index";

/** Status updates recorded at once (D1 round trips in flight per post). */
const RECORD_CONCURRENCY = 6;

export async function receiveSendGridEvents(
  deps: Deps,
  integrationId: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: Uint8Array,
): Promise<{ events: number; recorded: number }> {
  if (!headers.signature || !headers.timestamp) {
    throw new ApiError("unauthorized", "Event Webhook posts must be signed: X-Twilio-Email-Event-Webhook-Signature and -Timestamp are missing.");
  }
  const integration = await integrationForCallback(deps, "sendgrid", integrationId);
  if (!integration) throw new ApiError("not_found", "Not found.");
  const publicKey = (integration.settings as SendGridSettings).event_webhook_public_key;
  if (!publicKey) {
    throw new ApiError("forbidden", "This integration has no Event Webhook verification key: add the key SendGrid shows to the integration's settings.");
  }
  const verdict = await verifyEventWebhook({
    publicKey,
    signature: headers.signature,
    timestamp: headers.timestamp,
    body,
    nowMs: deps.now(),
    toleranceS: SENDGRID_EVENT_WEBHOOK_TOLERANCE_S,
  });
  if (verdict === "stale") throw new ApiError("forbidden", `The signature's timestamp is more than ${SENDGRID_EVENT_WEBHOOK_TOLERANCE_S / 60} minutes away from now.`);
  if (verdict !== "ok") throw new ApiError("forbidden", "The signature does not match this integration's verification key.");

  const events = parseEvents(new TextDecoder().decode(body));
  if (!events) throw new ApiError("bad_request", "The body must be SendGrid's JSON array of events.");
  let recorded = 0;
  for (let i = 0; i < events.length; i += RECORD_CONCURRENCY) {
    const done = await Promise.all(
      events.slice(i, i + RECORD_CONCURRENCY).map((e) =>
        recordProviderStatus(deps, { siteId: integration.siteId, integrationId, channel: "email", ...e }),
      ),
    );
    recorded += done.filter(Boolean).length;
  }
  return { events: events.length, recorded };
}
