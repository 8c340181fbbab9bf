// SendGrid stand-in: the v3 Mail Send API and the Event Webhook settings as SendGrid serves them,
// and Signed Event Webhook posts back to the registered URL shortly after accepting a message.
//
//   POST  /v3/mail/send                             Authorization: Bearer SG.<id>.<secret>
//         202, empty body, X-Message-Id             accepted (then events, see below)
//         400 { errors: [{ message, field, help }] } invalid JSON, Content-Type, personalizations,
//                                                   from, subject, content (text/plain first)
//         401 / 403                                 no or malformed key; a key whose id part starts
//                                                   with "revoked" → 401; with "nosend" → 403
//                                                   "access forbidden" (no Mail Send permission)
//         403 field "from"                          from local part starting "unverified" (not a
//                                                   verified Sender Identity)
//   PATCH /v3/user/webhooks/event/settings          { enabled, url, … } per API key → 200 settings
//   PATCH /v3/user/webhooks/event/settings/signed   { enabled } → 200 { public_key } (base64 SPKI,
//   GET   /v3/user/webhooks/event/settings/signed   one P-256 key pair per API key) — paste it into
//                                                   the integration's event_webhook_public_key
//   GET   /_standin/sendgrid/event-posts            what the stand-in posted: [{ url, status, events }]
//
// Failure modes by the first recipient's local part (case-insensitive prefix):
//   invalid…   400 field personalizations.0.to.0.email "Does not contain a valid address."
//   ratelimit… 429 once per address (X-RateLimit-Limit/Remaining/Reset, Reset in epoch seconds), then 202
//   error…     500 once per address, then 202
//   slow…      202 after SLOW_MS
//   bounce…    202, then a "bounce" event (type bounce, 5.1.1): a hard bounce
//   blocked…   202, then a "bounce" event of type "blocked" (4.0.0)
//   dropped…   202, then a "dropped" event
//   anything else: 202, then "processed" and "delivered" events
// Events go out EVENT_DELAY_MS after the 202, one signed POST per message
// (X-Twilio-Email-Event-Webhook-Signature: base64 DER ECDSA over timestamp ‖ body), only when
// the key's webhook is enabled with a URL.
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";
import type { StandIn, StandInContext } from "./types.ts";

const SLOW_MS = 3000;
const EVENT_DELAY_MS = 200;
const KEY_PATTERN = /^SG\.([A-Za-z0-9_-]{16,32})\.[A-Za-z0-9_-]{32,64}$/;
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

interface WebhookSettings {
  enabled: boolean;
  url: string | null;
  signed: boolean;
  privateKey?: KeyObject;
  publicKey?: string;
}
interface EventPost {
  url: string;
  status: number | null;
  error?: string;
  events: unknown[];
}

let webhooks = new Map<string, WebhookSettings>();
let eventPosts: EventPost[] = [];
const timers = new Set<NodeJS.Timeout>();

const error = (status: number, message: string, field: string | null = null, extra: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ message, field, help: null }] }), { status, headers: { "content-type": "application/json", ...extra } });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function headersOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  req.headers.forEach((v, k) => (out[k] = v));
  return out;
}

/** The API key of the request, or the 401/403 SendGrid answers. */
function authenticate(req: Request): { key: string } | { refusal: Response } {
  const m = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "");
  const key = m?.[1]?.trim() ?? "";
  const parts = KEY_PATTERN.exec(key);
  if (!parts || parts[1]!.toLowerCase().startsWith("revoked")) return { refusal: error(401, "The provided authorization grant is invalid, expired, or revoked") };
  if (parts[1]!.toLowerCase().startsWith("nosend")) return { refusal: error(403, "access forbidden") };
  return { key };
}

function webhookFor(key: string): WebhookSettings {
  let w = webhooks.get(key);
  if (!w) webhooks.set(key, (w = { enabled: false, url: null, signed: false }));
  return w;
}

/** Validates a Mail Send body the way SendGrid does (the checks Herald's requests can meet). */
function validateMail(body: unknown): { to: string; from: string } | Response {
  if (!body || typeof body !== "object") return error(400, "Bad Request");
  const b = body as Record<string, any>;
  if (!Array.isArray(b.personalizations) || b.personalizations.length === 0 || b.personalizations.length > 1000) {
    return error(400, "The personalizations field is required and must have at least one personalization.", "personalizations");
  }
  let first = "";
  for (const [i, p] of b.personalizations.entries()) {
    if (!Array.isArray(p?.to) || p.to.length === 0) return error(400, "The to array is required for all personalization objects, and must have at least one email object with a valid email address.", `personalizations.${i}.to`);
    for (const [j, r] of p.to.entries()) {
      const email = typeof r?.email === "string" ? r.email : "";
      if (!EMAIL.test(email) || /^invalid/i.test(email)) return error(400, "Does not contain a valid address.", `personalizations.${i}.to.${j}.email`);
      first ||= email;
    }
  }
  const from = typeof b.from?.email === "string" ? b.from.email : "";
  if (!from) return error(400, "The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.", "from");
  if (!EMAIL.test(from)) return error(400, "The from email does not contain a valid address.", "from.email");
  if (typeof b.subject !== "string" || !b.subject.trim()) {
    if (!b.personalizations.every((p: any) => typeof p?.subject === "string" && p.subject)) {
      return error(400, "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.", "subject");
    }
  }
  if (!Array.isArray(b.content) || b.content.length === 0) return error(400, "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.", "content");
  for (const [i, c] of b.content.entries()) {
    if (typeof c?.type !== "string" || !c.type) return error(400, "The content type must be provided.", `content.${i}.type`);
    if (typeof c?.value !== "string" || !c.value) return error(400, "The content value must be a string at least one character in length.", `content.${i}.value`);
  }
  const types = b.content.map((c: { type: string }) => c.type);
  if (types.includes("text/plain") && types[0] !== "text/plain") {
    return error(400, "If present, text/plain content must be first, followed by text/html, followed by any other content.", "content");
  }
  if (/^unverified/i.test(from)) {
    return error(
      403,
      "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements",
      "from",
    );
  }
  return { to: first, from };
}

/** The events SendGrid would report for a message to `to`. */
function eventsFor(to: string, messageId: string): Record<string, unknown>[] {
  const base = (event: string, extra: Record<string, unknown> = {}) => ({
    email: to,
    timestamp: Math.floor(Date.now() / 1000),
    "smtp-id": `<${messageId}@ismtpd0001p1lon1.sendgrid.net>`,
    event,
    sg_event_id: randomBytes(16).toString("base64url"),
    sg_message_id: `${messageId}.filter0001.${process.pid}.${Date.now().toString(16).toUpperCase()}.0`,
    ...extra,
  });
  const local = to.toLowerCase();
  if (local.startsWith("bounce")) {
    return [base("processed"), base("bounce", { type: "bounce", status: "5.1.1", reason: "550 5.1.1 The email account that you tried to reach does not exist." })];
  }
  if (local.startsWith("blocked")) return [base("processed"), base("bounce", { type: "blocked", status: "4.0.0", reason: "550 Message rejected by the receiving server's policy" })];
  if (local.startsWith("dropped")) return [base("dropped", { reason: "Bounced Address" })];
  return [base("processed"), base("delivered", { response: "250 OK" })];
}

function postEvents(ctx: StandInContext, hook: WebhookSettings, events: Record<string, unknown>[]) {
  const timer = setTimeout(async () => {
    timers.delete(timer);
    if (!hook.enabled || !hook.url) return;
    const body = JSON.stringify(events);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "SendGrid Event API" };
    if (hook.signed && hook.privateKey) {
      headers["x-twilio-email-event-webhook-signature"] = sign("sha256", Buffer.from(timestamp + body), hook.privateKey).toString("base64");
      headers["x-twilio-email-event-webhook-timestamp"] = timestamp;
    }
    const post: EventPost = { url: hook.url, status: null, events };
    eventPosts.push(post);
    try {
      const res = await ctx.fetch(hook.url, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) });
      post.status = res.status;
      await res.body?.cancel();
    } catch (err) {
      post.error = String(err);
    }
  }, EVENT_DELAY_MS);
  timers.add(timer);
}

async function mailSend(req: Request, ctx: StandInContext): Promise<Response> {
  const text = await req.text();
  const record = (res: Response, parsed?: unknown, messageId?: string) => {
    ctx.record({ method: req.method, path: "/v3/mail/send", headers: headersOf(req), body: text, parsed, status: res.status, ...(messageId ? { messageId } : {}) });
    return res;
  };
  const auth = authenticate(req);
  if ("refusal" in auth) return record(auth.refusal);
  if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) return record(error(400, "Content-Type should be application/json."));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return record(error(400, "Bad Request"));
  }
  const mail = validateMail(body);
  if (mail instanceof Response) return record(mail, body);
  const local = mail.to.toLowerCase();
  if (local.startsWith("ratelimit") && ctx.seen(`sendgrid:429:${local}`) === 0) {
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    return record(error(429, "too many requests", null, { "x-ratelimit-limit": "600", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), body);
  }
  if (local.startsWith("error") && ctx.seen(`sendgrid:500:${local}`) === 0) return record(error(500, "Internal server error"), body);
  if (local.startsWith("slow")) await new Promise((r) => setTimeout(r, SLOW_MS));
  const messageId = randomBytes(16).toString("base64url").slice(0, 22);
  postEvents(ctx, webhookFor(auth.key), eventsFor(mail.to, messageId));
  return record(new Response(null, { status: 202, headers: { "x-message-id": messageId } }), body, messageId);
}

async function readJson(req: Request): Promise<Record<string, unknown> | null> {
  try {
    const v = JSON.parse(await req.text());
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

async function webhookSettings(req: Request, signed: boolean): Promise<Response> {
  const auth = authenticate(req);
  if ("refusal" in auth) return auth.refusal;
  const hook = webhookFor(auth.key);
  if (req.method === "PATCH") {
    const body = await readJson(req);
    if (!body) return error(400, "Bad Request");
    if (signed) {
      hook.signed = body.enabled === true;
      if (hook.signed && !hook.privateKey) {
        const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
        hook.privateKey = pair.privateKey;
        hook.publicKey = (pair.publicKey.export({ format: "der", type: "spki" }) as Buffer).toString("base64");
      }
    } else {
      if (body.url !== undefined && (typeof body.url !== "string" || !URL.canParse(body.url))) return error(400, "url must be a valid URL", "url");
      if (typeof body.url === "string") hook.url = body.url;
      if (typeof body.enabled === "boolean") hook.enabled = body.enabled;
    }
  }
  if (signed) return json(200, { public_key: hook.signed ? hook.publicKey : "" });
  return json(200, { enabled: hook.enabled, url: hook.url ?? "", delivered: true, bounce: true, dropped: true, deferred: true, processed: true });
}

export const sendgrid: StandIn = {
  name: "sendgrid",
  async handle(req, url, ctx) {
    if (url.pathname === "/v3/mail/send" && req.method === "POST") return mailSend(req, ctx);
    if (url.pathname === "/v3/user/webhooks/event/settings" && (req.method === "PATCH" || req.method === "GET")) return webhookSettings(req, false);
    if (url.pathname === "/v3/user/webhooks/event/settings/signed" && (req.method === "PATCH" || req.method === "GET")) return webhookSettings(req, true);
    if (url.pathname === "/_standin/sendgrid/event-posts" && req.method === "GET") return json(200, eventPosts);
    if (url.pathname.startsWith("/v3/")) return error(404, "resource not found");
    return null;
  },
  reset() {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    webhooks = new Map();
    eventPosts = [];
  },
};

/** A fresh, well-formed API key for tests and demos ("SG.<22>.<43>"); prefix the id part with
 *  "revoked" or "nosend" for the 401 / 403 modes. */
export function sendGridTestKey(idPrefix = ""): string {
  const id = (idPrefix + randomUUID().replaceAll("-", "")).slice(0, 22);
  return `SG.${id}.${randomBytes(32).toString("base64url").slice(0, 43)}`;
}
