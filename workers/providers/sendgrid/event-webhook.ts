// SendGrid's Signed Event Webhook (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features):
// SendGrid signs SHA-256(timestamp ‖ raw body) with ECDSA P-256 and sends
//   X-Twilio-Email-Event-Webhook-Signature   base64 of the DER-encoded signature
//   X-Twilio-Email-Event-Webhook-Timestamp   unix seconds, as text
// and the site pastes the verification key (base64 SubjectPublicKeyInfo) into the integration.
// WebCrypto verifies IEEE P1363 signatures (raw r ‖ s), so the DER SEQUENCE is unpacked first.
//
//   verifyEventWebhook({ publicKey, signature, timestamp, body, now, toleranceS }) → "ok" | "stale" | "bad_signature"
//   parseEvents(body) → StatusEvent[]    the events Herald acts on; the rest are skipped
//
// Events (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event):
//   delivered                  → delivered
//   bounce, type "bounce"      → bounced (a hard bounce: the address is unusable)
//   bounce, type "blocked"     → undelivered (the receiving server refused this one message)
//   dropped                    → failed (SendGrid did not send it: suppressed or invalid)
//   processed, deferred (SendGrid still retries), open, click, spamreport, unsubscribe … → skipped
// sg_message_id is "<X-Message-Id>.<filter…>": the part before the first "." is the id Mail Send
// answered with, which the delivery row holds.
import { fromBase64 } from "../../lib/encoding";

export const SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature";
export const TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp";

/** DER ECDSA-Sig-Value (SEQUENCE { INTEGER r, INTEGER s }) → 64-byte r ‖ s, or null if malformed. */
export function derToRawSignature(der: Uint8Array, size = 32): Uint8Array | null {
  let i = 0;
  const readLength = (): number | null => {
    const first = der[i++];
    if (first === undefined) return null;
    if (first < 0x80) return first;
    if (first !== 0x81) return null; // a 72-byte signature never needs more than one length byte
    const n = der[i++];
    return n === undefined || n < 0x80 ? null : n;
  };
  if (der[i++] !== 0x30) return null;
  const seqLength = readLength();
  if (seqLength === null || i + seqLength !== der.length) return null;
  const out = new Uint8Array(size * 2);
  for (let k = 0; k < 2; k++) {
    if (der[i++] !== 0x02) return null;
    const len = readLength();
    if (len === null || len === 0 || i + len > der.length) return null;
    let int = der.subarray(i, i + len);
    i += len;
    while (int.length > 1 && int[0] === 0) int = int.subarray(1); // DER's sign-padding zero
    if (int.length > size) return null;
    out.set(int, k * size + (size - int.length));
  }
  return i === der.length ? out : null;
}

export interface VerifyArgs {
  /** The verification key as SendGrid shows it (base64 SPKI DER). */
  publicKey: string;
  signature: string;
  timestamp: string;
  /** The raw request body, exactly as received. */
  body: Uint8Array;
  nowMs: number;
  toleranceS: number;
}

const keyCache = new Map<string, Promise<CryptoKey>>();
function importKey(spkiB64: string): Promise<CryptoKey> {
  let key = keyCache.get(spkiB64);
  if (!key) {
    key = crypto.subtle.importKey("spki", fromBase64(spkiB64.replace(/\s+/g, "")), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    if (keyCache.size > 500) keyCache.clear();
    keyCache.set(spkiB64, key);
    key.catch(() => keyCache.delete(spkiB64));
  }
  return key;
}

export async function verifyEventWebhook(a: VerifyArgs): Promise<"ok" | "stale" | "bad_signature"> {
  if (!/^\d{1,12}$/.test(a.timestamp)) return "bad_signature";
  let raw: Uint8Array | null;
  let key: CryptoKey;
  try {
    raw = derToRawSignature(fromBase64(a.signature.trim()));
    key = await importKey(a.publicKey);
  } catch {
    return "bad_signature";
  }
  if (!raw) return "bad_signature";
  const prefix = new TextEncoder().encode(a.timestamp);
  const signed = new Uint8Array(prefix.length + a.body.length);
  signed.set(prefix);
  signed.set(a.body, prefix.length);
  const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, raw as Uint8Array<ArrayBuffer>, signed);
  if (!ok) return "bad_signature";
  // Checked after the signature, so an unsigned post learns nothing about our clock.
  return Math.abs(a.nowMs / 1000 - Number(a.timestamp)) > a.toleranceS ? "stale" : "ok";
}

export interface StatusEvent {
  providerMessageId: string;
  status: "delivered" | "bounced" | "undelivered" | "failed";
  /** The SMTP status SendGrid reports for a bounce ("5.1.1"), when it gives one. */
  providerCode?: string;
  detail?: string;
}

const DETAIL_MAX_CHARS = 300;

/** The events of a post that move a delivery; null when the body is not SendGrid's JSON array. */
export function parseEvents(text: string): StatusEvent[] | null {
  let events: unknown;
  try {
    events = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(events)) return null;
  const out: StatusEvent[] = [];
  for (const e of events) {
    if (!e || typeof e !== "object") continue;
    const ev = e as Record<string, unknown>;
    const id = typeof ev.sg_message_id === "string" ? ev.sg_message_id.split(".")[0] : "";
    if (!id) continue;
    const status =
      ev.event === "delivered" ? "delivered"
      : ev.event === "bounce" ? (ev.type === "blocked" ? "undelivered" : "bounced")
      : ev.event === "dropped" ? "failed"
      : null;
    if (!status) continue;
    const code = typeof ev.status === "string" && ev.status ? ev.status : undefined;
    const detail = typeof ev.reason === "string" && ev.reason ? ev.reason.slice(0, DETAIL_MAX_CHARS) : undefined;
    out.push({ providerMessageId: id, status, ...(code ? { providerCode: code } : {}), ...(detail ? { detail } : {}) });
  }
  return out;
}
