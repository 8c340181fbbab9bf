// Resend's webhooks (https://resend.com/docs/webhooks): Svix delivers them, signed the Standard
// Webhooks way (https://www.standardwebhooks.com, "Signature scheme") under Svix's header names:
//   svix-id          the message id (the same on Svix's retries)
//   svix-timestamp   unix seconds
//   svix-signature   space-separated "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>"
// with key = base64-decoded secret after "whsec_". The standardwebhooks library (the one
// Resend's own SDK verifies with) checks it under the webhook-* names, with its fixed 5-minute
// tolerance either side of the Worker's clock.
//
//   verifyResendWebhook({ secret, id, timestamp, signature, body }) → "ok" | "stale" | "bad_signature"
//   parseResendEvent(body) → { type, report } (report null: skipped) | { error, field? } (not Resend's)
//
// One event per post: { type, created_at, data: { email_id, to, …, bounce? } }. email_id is the
// id POST /emails answered with, which the delivery row holds.
//   email.delivered                              → delivered
//   email.bounced, bounce.type "Permanent"       → bounced (the address is unusable); the code is
//     (or subType "Suppressed", or no bounce)      "<type>/<subType>" ("Permanent/General");
//                                                  Resend documents email.bounced as a permanent
//                                                  rejection, so a bounce without details is one
//   email.bounced, type "Transient"/"Undetermined" → undelivered: this message did not arrive,
//                                                  but the address may work tomorrow (mailbox
//                                                  full, greylisting); marking it unusable on a
//                                                  guess would silently stop mail to a good one
//   email.complained                             → failed, address unusable: the recipient
//                                                  marked it spam — stop mailing them
//   email.suppressed                             → failed, address unusable: Resend did not send
//                                                  it, the address is on its suppression list
//   email.failed                                 → failed (Resend could not send it), its reason
//   email.sent, email.delivery_delayed (Resend still tries), email.opened, email.clicked,
//   email.scheduled, email.received, contact.*, domain.* …  → skipped
import { Webhook } from "standardwebhooks";
import type { ProviderStatus } from "../../services/sending/status";

export const SVIX_ID_HEADER = "svix-id";
export const SVIX_TIMESTAMP_HEADER = "svix-timestamp";
export const SVIX_SIGNATURE_HEADER = "svix-signature";

export interface VerifyArgs {
  /** whsec_… as Resend shows it. */
  secret: string;
  id: string;
  timestamp: string;
  signature: string;
  /** The raw body, exactly as received (it is what Svix signed). */
  body: string;
}

/** Whether any v1 signature of the header is the one `wh` computes (for telling stale from forged). */
function anyMatches(wh: Webhook, a: VerifyArgs): boolean {
  const ts = Number(a.timestamp);
  if (!/^\d{1,12}$/.test(a.timestamp)) return false;
  const expected = wh.sign(a.id, new Date(ts * 1000), a.body).split(",")[1]!;
  const enc = new TextEncoder();
  return a.signature.split(" ").some((entry) => {
    const [version, sig] = entry.split(",");
    if (version !== "v1" || sig === undefined) return false;
    const x = enc.encode(sig);
    const y = enc.encode(expected);
    if (x.length !== y.length) return false;
    let diff = 0;
    for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
    return diff === 0;
  });
}

export function verifyResendWebhook(a: VerifyArgs): "ok" | "stale" | "bad_signature" {
  let wh: Webhook;
  try {
    wh = new Webhook(a.secret);
  } catch {
    return "bad_signature";
  }
  try {
    wh.verify(a.body, { "webhook-id": a.id, "webhook-timestamp": a.timestamp, "webhook-signature": a.signature }, { jsonParse: false });
    return "ok";
  } catch (err) {
    // The library checks the time before the signature; only a post signed with our secret
    // hears that its time is off, so an unsigned one learns nothing about our clock.
    const message = err instanceof Error ? err.message : "";
    return /timestamp too (old|new)/i.test(message) && anyMatches(wh, a) ? "stale" : "bad_signature";
  }
}

export interface ResendStatusReport {
  providerMessageId: string;
  status: ProviderStatus;
  providerCode?: string;
  detail?: string;
  addressUnusable?: boolean;
}

const DETAIL_MAX_CHARS = 300;
const CODE_MAX_CHARS = 64;

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const clip = (s: string | undefined, n: number) => (s === undefined ? undefined : s.slice(0, n));

function report(id: string, status: ProviderStatus, code?: string, detail?: string, addressUnusable?: boolean): ResendStatusReport {
  return {
    providerMessageId: id,
    status,
    ...(code ? { providerCode: clip(code, CODE_MAX_CHARS) } : {}),
    ...(detail ? { detail: clip(detail, DETAIL_MAX_CHARS) } : {}),
    ...(addressUnusable ? { addressUnusable: true } : {}),
  };
}

function bounced(id: string, bounce: unknown): ResendStatusReport {
  const b = bounce && typeof bounce === "object" ? (bounce as Record<string, unknown>) : {};
  const type = str(b.type);
  const subType = str(b.subType);
  const code = type ? (subType ? `${type}/${subType}` : type) : undefined;
  const message = str(b.message);
  const soft = (type === "Transient" || type === "Undetermined") && subType !== "Suppressed";
  return soft ? report(id, "undelivered", code, message) : report(id, "bounced", code, message, true);
}

export type ParsedEvent = { type: string; report: ResendStatusReport | null };

/** The status report one post carries (report null: an event Herald does not act on), or why
 *  the body is not a Resend event (a JSON object with a string type and an object data). */
export function parseResendEvent(text: string): ParsedEvent | { error: string; field?: string } {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    return { error: "The body must be a Resend webhook event: a JSON object." };
  }
  if (!event || typeof event !== "object" || Array.isArray(event)) return { error: "The body must be a Resend webhook event: a JSON object." };
  const e = event as Record<string, unknown>;
  const type = str(e.type);
  if (!type) return { error: "A Resend webhook event names its type.", field: "type" };
  if (!e.data || typeof e.data !== "object" || Array.isArray(e.data)) return { error: "A Resend webhook event carries a data object.", field: "data" };
  const data = e.data as Record<string, unknown>;
  const acted = ["email.delivered", "email.bounced", "email.complained", "email.suppressed", "email.failed"];
  if (!acted.includes(type)) return { type, report: null };
  const id = str(data.email_id);
  if (!id) return { error: `An ${type} event names its email: data.email_id is missing.`, field: "data.email_id" };
  switch (type) {
    case "email.delivered":
      return { type, report: report(id, "delivered") };
    case "email.bounced":
      return { type, report: bounced(id, data.bounce) };
    case "email.complained":
      return { type, report: report(id, "failed", "complained", "The recipient marked the email as spam.", true) };
    case "email.suppressed": {
      const s = data.suppressed && typeof data.suppressed === "object" ? (data.suppressed as Record<string, unknown>) : {};
      return { type, report: report(id, "failed", "suppressed", str(s.message), true) };
    }
    default: {
      const f = data.failed && typeof data.failed === "object" ? (data.failed as Record<string, unknown>) : {};
      return { type, report: report(id, "failed", "failed", str(f.reason)) };
    }
  }
}
