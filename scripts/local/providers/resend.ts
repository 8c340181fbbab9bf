// Resend stand-in: the send email API and the webhooks API as Resend serves them
// (https://resend.com/docs/api-reference), and Svix-signed webhook posts back to the registered
// endpoints shortly after accepting an email.
//
//   POST /emails        Authorization: Bearer re_…; JSON { from, to (string or ≤ 50), subject, html?, text? }
//        200 { id }                          accepted (then webhook events, see below)
//        401 missing_api_key                 no Authorization header
//        403 invalid_api_key                 not a re_… key, or one starting "re_invalid"
//        422 missing_required_field / validation_error   a missing or malformed field (Resend
//                                            names it in backticks: "Invalid `to` field. …")
//        403 validation_error                from on a domain starting "unverified" (not verified)
//   POST   /webhooks       { endpoint, events: [...] } → 200 { object: "webhook", id, signing_secret }
//                          (signing_secret "whsec_" + base64 of 24 bytes, as Svix makes them);
//                          422 validation_error for a bad endpoint or event type
//   GET    /webhooks/{id}  → 200 { object, id, endpoint, events, status, created_at, signing_secret }
//   DELETE /webhooks/{id}  → 200 { object: "webhook", id, deleted: true }; 404 not_found otherwise
//   GET    /_standin/resend/webhook-posts   what the stand-in posted: [{ url, type, email_id, status }]
//   Errors are { statusCode, name, message }. Webhooks belong to the API key that made them (in
//   Resend, to the account).
//
// Failure modes by the first recipient's local part (case-insensitive prefix):
//   invalid…    422 validation_error about `to`
//   ratelimit…  429 rate_limit_exceeded once per address (ratelimit-* headers, retry-after: 1), then 200
//   error…      500 internal_server_error once per address, then 200
//   slow…       200 after SLOW_MS
// and, after a 200, the events each of the key's webhooks subscribed to, in order, one signed
// POST each (the next after the previous was answered), starting EVENT_DELAY_MS later:
//   bounce…     email.sent, email.bounced (bounce { type "Permanent", subType "General" })
//   softbounce… email.sent, email.bounced (bounce { type "Transient", subType "MailboxFull" })
//   complain…   email.sent, email.delivered, email.complained
//   anything else: email.sent, email.delivered
// Each post is { type, created_at, data: { created_at, email_id, from, to, subject, bounce? } }
// with svix-id (msg_…), svix-timestamp (unix s) and svix-signature ("v1," + base64
// HMAC-SHA256 over "id.timestamp.body" under the base64 key after "whsec_") — computed here with
// node:crypto, so a test verifying with the standardwebhooks library checks an independent signer.
// No retries: a post that fails is recorded with its error.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { StandIn, StandInContext } from "./types.ts";

const SLOW_MS = 3000;
const EVENT_DELAY_MS = 200;
/** Resend's webhook event types (https://resend.com/docs/webhooks/event-types). */
const EVENT_TYPES = new Set([
  "email.sent", "email.scheduled", "email.delivered", "email.delivery_delayed", "email.complained", "email.bounced", "email.opened",
  "email.clicked", "email.received", "email.failed", "email.suppressed", "contact.created", "contact.updated", "contact.deleted",
  "domain.created", "domain.updated", "domain.deleted",
]);
const KEY_PATTERN = /^re_[A-Za-z0-9_]{16,64}$/;
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
const MAX_RECIPIENTS = 50;

const error = (statusCode: number, name: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ statusCode, name, message }), { status: statusCode, headers: { "content-type": "application/json", ...headers } });

/** "Name <a@b.example>" or "a@b.example" → the address, or null when malformed. */
function address(mailbox: string): string | null {
  const m = /^\s*(?:"(?:[^"\\]|\\.)*"|[^<>"]*)\s*<([^<>]+)>\s*$/.exec(mailbox);
  const email = (m ? m[1]! : mailbox).trim();
  return EMAIL.test(email) ? email : null;
}

function validate(body: Record<string, unknown>): { to: string[]; from: string } | Response {
  for (const field of ["from", "to", "subject"]) {
    if (body[field] === undefined || body[field] === "") return error(422, "missing_required_field", `Missing \`${field}\` field.`);
  }
  const from = typeof body.from === "string" ? address(body.from) : null;
  if (!from) return error(422, "validation_error", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
  const list = Array.isArray(body.to) ? body.to : [body.to];
  if (list.length === 0 || list.length > MAX_RECIPIENTS) return error(422, "validation_error", `Invalid \`to\` field. You can send to at most ${MAX_RECIPIENTS} recipients.`);
  const to: string[] = [];
  for (const r of list) {
    const email = typeof r === "string" ? address(r) : null;
    if (!email || /^invalid/i.test(email)) {
      return error(422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
    }
    to.push(email);
  }
  if (typeof body.subject !== "string") return error(422, "validation_error", "Invalid `subject` field. It must be a string.");
  if (body.html === undefined && body.text === undefined) return error(422, "validation_error", "Missing `html` or `text` field.");
  const domain = from.split("@")[1]!;
  if (/^unverified/i.test(domain)) {
    return error(403, "validation_error", `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains`);
  }
  return { to, from };
}

async function sendEmail(req: Request, ctx: StandInContext): Promise<Response> {
  const text = await req.text();
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => (headers[k] = v));
  const record = (res: Response, parsed?: unknown, messageId?: string) => {
    ctx.record({ method: req.method, path: "/emails", headers, body: text, parsed, status: res.status, ...(messageId ? { messageId } : {}) });
    return res;
  };
  const auth = authenticate(req);
  if ("refusal" in auth) return record(auth.refusal);
  const { key } = auth;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return record(error(400, "validation_error", "We found an error with one or more fields in the request: the body is not valid JSON."));
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return record(error(422, "validation_error", "The request body must be a JSON object."));
  const mail = validate(body as Record<string, unknown>);
  if (mail instanceof Response) return record(mail, body);
  const local = mail.to[0]!.toLowerCase();
  if (local.startsWith("ratelimit") && ctx.seen(`resend:429:${local}`) === 0) {
    return record(
      error(429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.", {
        "ratelimit-limit": "2",
        "ratelimit-remaining": "0",
        "ratelimit-reset": "1",
        "retry-after": "1",
      }),
      body,
    );
  }
  if (local.startsWith("error") && ctx.seen(`resend:500:${local}`) === 0) return record(error(500, "internal_server_error", "An unexpected error occurred."), body);
  if (local.startsWith("slow")) await new Promise((r) => setTimeout(r, SLOW_MS));
  const id = randomUUID();
  scheduleEvents(ctx, key, id, mail, (body as Record<string, unknown>).subject as string);
  return record(new Response(JSON.stringify({ id }), { status: 200, headers: { "content-type": "application/json" } }), body, id);
}

// ─── Webhooks ─────────────────────────────────────────────────────────────────

interface Hook {
  id: string;
  endpoint: string;
  events: string[];
  secret: string;
  createdAt: string;
}
interface WebhookPost {
  url: string;
  type: string;
  email_id: string;
  status: number | null;
  error?: string;
}

let hooks = new Map<string, Hook[]>();
let webhookPosts: WebhookPost[] = [];
const timers = new Set<NodeJS.Timeout>();

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The API key of the request, or Resend's 401/403. */
function authenticate(req: Request): { key: string } | { refusal: Response } {
  const auth = req.headers.get("authorization");
  if (!auth) return { refusal: error(401, "missing_api_key", "Missing API key in the authorization header.") };
  const key = /^Bearer (.+)$/.exec(auth)?.[1]?.trim() ?? "";
  if (!KEY_PATTERN.test(key) || key.startsWith("re_invalid")) return { refusal: error(403, "invalid_api_key", "API key is invalid") };
  return { key };
}

/** Standard Webhooks signature of one post (the scheme Svix signs Resend's webhooks with). */
export function svixSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** The event types, in order, Resend would report for an accepted email to `to`. */
function outcomesFor(to: string): Array<{ type: string; extra?: Record<string, unknown> }> {
  const local = to.toLowerCase();
  if (local.startsWith("bounce")) {
    return [
      { type: "email.sent" },
      { type: "email.bounced", extra: { bounce: { type: "Permanent", subType: "General", message: "The recipient's email provider sent a hard bounce message." } } },
    ];
  }
  if (local.startsWith("softbounce")) {
    return [
      { type: "email.sent" },
      { type: "email.bounced", extra: { bounce: { type: "Transient", subType: "MailboxFull", message: "The recipient's mailbox is full." } } },
    ];
  }
  if (local.startsWith("complain")) return [{ type: "email.sent" }, { type: "email.delivered" }, { type: "email.complained" }];
  return [{ type: "email.sent" }, { type: "email.delivered" }];
}

async function postEvent(ctx: StandInContext, hook: Hook, type: string, data: Record<string, unknown>): Promise<void> {
  const now = new Date();
  const body = JSON.stringify({ type, created_at: now.toISOString(), data });
  const id = `msg_${randomBytes(18).toString("base64url")}`;
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headers = {
    "content-type": "application/json",
    "user-agent": "Svix-Webhooks/1.62.0 (sender-stand-in; +https://www.svix.com/http-sender/)",
    "svix-id": id,
    "svix-timestamp": timestamp,
    "svix-signature": svixSignature(hook.secret, id, timestamp, body),
  };
  const post: WebhookPost = { url: hook.endpoint, type, email_id: String(data.email_id), status: null };
  webhookPosts.push(post);
  try {
    const res = await ctx.fetch(hook.endpoint, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) });
    post.status = res.status;
    await res.body?.cancel();
  } catch (err) {
    post.error = String(err);
  }
}

function scheduleEvents(ctx: StandInContext, key: string, emailId: string, mail: { to: string[]; from: string }, subject: string) {
  const subscribed = hooks.get(key) ?? [];
  if (!subscribed.length) return;
  const createdAt = new Date().toISOString();
  const outcomes = outcomesFor(mail.to[0]!);
  for (const hook of subscribed) {
    const timer = setTimeout(async () => {
      timers.delete(timer);
      for (const { type, extra } of outcomes) {
        // A webhook deleted meanwhile gets nothing more; one not subscribed to the type skips it.
        if (!(hooks.get(key) ?? []).includes(hook)) return;
        if (!hook.events.includes(type)) continue;
        await postEvent(ctx, hook, type, { created_at: createdAt, email_id: emailId, from: mail.from, to: mail.to, subject, ...extra });
      }
    }, EVENT_DELAY_MS);
    timers.add(timer);
  }
}

async function readObject(req: Request): Promise<Record<string, unknown> | null> {
  try {
    const v = JSON.parse(await req.text());
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

async function createWebhook(req: Request): Promise<Response> {
  const auth = authenticate(req);
  if ("refusal" in auth) return auth.refusal;
  const body = await readObject(req);
  if (!body) return error(422, "validation_error", "The request body must be a JSON object.");
  const endpoint = body.endpoint;
  if (endpoint === undefined) return error(422, "missing_required_field", "Missing `endpoint` field.");
  if (typeof endpoint !== "string" || !URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    return error(422, "validation_error", "Invalid `endpoint` field. It must be a valid URL.");
  }
  if (body.events === undefined) return error(422, "missing_required_field", "Missing `events` field.");
  const events = body.events;
  if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === "string" && EVENT_TYPES.has(e))) {
    return error(422, "validation_error", "Invalid `events` field. It must be a non-empty array of webhook event types.");
  }
  const hook: Hook = {
    id: randomUUID(),
    endpoint,
    events: [...new Set(events as string[])],
    secret: `whsec_${randomBytes(24).toString("base64")}`,
    createdAt: new Date().toISOString(),
  };
  hooks.set(auth.key, [...(hooks.get(auth.key) ?? []), hook]);
  return json(200, { object: "webhook", id: hook.id, signing_secret: hook.secret });
}

function oneWebhook(req: Request, id: string): Response {
  const auth = authenticate(req);
  if ("refusal" in auth) return auth.refusal;
  const list = hooks.get(auth.key) ?? [];
  const hook = list.find((h) => h.id === id);
  if (!hook) return error(404, "not_found", "Webhook not found");
  if (req.method === "DELETE") {
    hooks.set(auth.key, list.filter((h) => h !== hook));
    return json(200, { object: "webhook", id, deleted: true });
  }
  return json(200, { object: "webhook", id, endpoint: hook.endpoint, events: hook.events, status: "enabled", created_at: hook.createdAt, signing_secret: hook.secret });
}

export const resend: StandIn = {
  name: "resend",
  async handle(req, url, ctx) {
    if (url.pathname === "/emails" && req.method === "POST") return sendEmail(req, ctx);
    if (url.pathname === "/webhooks" && req.method === "POST") return createWebhook(req);
    const one = /^\/webhooks\/([^/]+)$/.exec(url.pathname);
    if (one && (req.method === "GET" || req.method === "DELETE")) return oneWebhook(req, decodeURIComponent(one[1]!));
    if (url.pathname === "/_standin/resend/webhook-posts" && req.method === "GET") return json(200, webhookPosts);
    return null;
  },
  reset() {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    hooks = new Map();
    webhookPosts = [];
  },
};
