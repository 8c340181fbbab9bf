// Standard Webhooks signing (https://www.standardwebhooks.com, "Signature scheme"): the
// signature is HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>" with the base64 key
// after "whsec_", sent as "v1,<base64>". The standardwebhooks library computes it, so Herald
// signs exactly as receivers verify. Several space-separated signatures are allowed: during a
// secret's rotation overlap every delivery carries one per valid secret (newest first).
// Pure: the time and the secrets are inputs.
import { Webhook } from "standardwebhooks";
import { toHex } from "../../lib/encoding";

/** The webhook-id of an event sent to an endpoint: the same on every retry and replay, so a
 *  receiver can drop duplicates; different per endpoint, so two endpoints never share one. */
export async function webhookMessageId(endpointId: string, eventId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${endpointId}\n${eventId}`));
  return `msg_${toHex(digest).slice(0, 32)}`;
}

export interface SignInput {
  messageId: string;
  /** The attempt's time: webhook-timestamp is in whole seconds. */
  at: Date;
  body: string;
  /** whsec_… secrets, the current one first. */
  secrets: readonly string[];
}

/** The three Standard Webhooks headers for one attempt. */
export function signedHeaders({ messageId, at, body, secrets }: SignInput): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  if (!secrets.length) throw new Error("no webhook secret to sign with");
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => new Webhook(s).sign(messageId, at, body)).join(" "),
  };
}
