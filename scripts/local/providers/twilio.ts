// Twilio stand-in: the Messages API (2010-04-01) as Twilio serves it, and signed status
// callbacks posted back to each message's StatusCallback shortly after accepting it.
//
//   POST /2010-04-01/Accounts/{AccountSid}/Messages.json      form-encoded, HTTP Basic
//        201 { sid: "SM…", status: "queued" | "accepted", to, from, body, … }   (Twilio's resource)
//        401 { code: 20003, message: "Authenticate", more_info, status: 401 }   wrong or missing
//            credentials, or credentials of another account than the path's
//        400 { code, message, more_info, status: 400 }                        see validation below
//   GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json  the message, with its latest status
//   POST /_standin/twilio/accounts        → 201 a fresh account: { account_sid, auth_token,
//                                           api_key_sid, api_key_secret, from, whatsapp_from,
//                                           messaging_service_sid } (same numbers as below)
//   GET  /_standin/twilio/callbacks       → what the stand-in posted: [{ url, params, status }]
//   (POST /_standin/reset forgets messages, callbacks and pending callbacks; accounts stay)
//
// The local account (always there; reset keeps it):
//   account_sid ACc0ffee00c0ffee00c0ffee00c0ffee00   auth_token 0123456789abcdef0123456789abcdef
//   API key     SK5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e   secret     localApiKeySecretLocalApiKeySecr
//   SMS number +15005550006 · WhatsApp sender +14155238886 · Messaging Service MG5e7a1ce05e7a1ce05e7a1ce05e7a1ce0
// Basic auth is AccountSid:AuthToken or ApiKeySid:ApiKeySecret (the account SID stays in the path).
//
// Validation (Twilio's codes): To missing 21604, From and MessagingServiceSid missing 21603, no
// Body/ContentSid 21602, Body over 1600 characters 21617, To not E.164 21211, From not E.164
// 21212, From not a number of the account 21606 (WhatsApp: 63007), an unknown Messaging
// Service 21701, whatsapp: on one side only 21910, ContentSid not HX… 21655, ContentVariables
// not a JSON object of strings 21656.
//
// Twilio's magic test numbers: From +15005550001 → 21212, +15005550007 → 21606; To
// +15005550001 → 21211 (invalid), +15005550002 → 21612 (cannot route), +15005550003 → 21408
// (region not enabled), +15005550004 → 21610 (unsubscribed), +15005550009 → 21614 (not a mobile).
// Failure modes by the To number's last four digits:
//   …4290  429 { code: 20429 } once per number, then 201      …5000  500 { code: 20500 } once
//   …5030  503 { code: 20503 } once                            …7000  201 after SLOW_MS
//   …3003 / …3005 / …3006  201, then an "undelivered" callback with ErrorCode 30003 / 30005 / 30006
//   WhatsApp to …0000 without ContentSid: outside the 24 h session — 201, then a "failed"
//   callback with ErrorCode 63016, as Twilio reports it (asynchronously)
//   anything else: 201, then "sent" and "delivered" callbacks
// Callbacks go out CALLBACK_DELAY_MS apart, form-encoded, signed with X-Twilio-Signature
// (base64 HMAC-SHA1 under the account's auth token of the URL + the params sorted by name).
import { createHmac, randomBytes } from "node:crypto";
import type { StandIn, StandInContext } from "./types.ts";

const SLOW_MS = 3000;
const CALLBACK_DELAY_MS = 100;
const BODY_MAX_CHARS = 1600;
const E164 = /^\+[1-9]\d{1,14}$/;

interface AccountSpec {
  account_sid: string;
  auth_token: string;
  api_key_sid: string;
  api_key_secret: string;
  from: string;
  whatsapp_from: string;
  messaging_service_sid: string;
}

export const LOCAL_TWILIO: AccountSpec = {
  account_sid: "ACc0ffee00c0ffee00c0ffee00c0ffee00",
  auth_token: "0123456789abcdef0123456789abcdef",
  api_key_sid: "SK5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e",
  api_key_secret: "localApiKeySecretLocalApiKeySecr",
  from: "+15005550006",
  whatsapp_from: "+14155238886",
  messaging_service_sid: "MG5e7a1ce05e7a1ce05e7a1ce05e7a1ce0",
};

interface Account {
  sid: string;
  authToken: string;
  apiKeys: Map<string, string>;
  numbers: Set<string>;
  whatsappSenders: Set<string>;
  services: Set<string>;
}
interface Message {
  sid: string;
  account: Account;
  to: string;
  from: string | null;
  body: string;
  messagingServiceSid: string | null;
  status: string;
  errorCode: number | null;
  created: Date;
  updated: Date;
}
interface CallbackPost {
  url: string;
  params: Record<string, string>;
  status: number | null;
  error?: string;
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const accountOf = (l: AccountSpec): Account => ({
  sid: l.account_sid,
  authToken: l.auth_token,
  apiKeys: new Map([[l.api_key_sid, l.api_key_secret]]),
  numbers: new Set([l.from]),
  whatsappSenders: new Set([l.whatsapp_from]),
  services: new Set([l.messaging_service_sid]),
});

const accounts = new Map<string, Account>([[LOCAL_TWILIO.account_sid, accountOf(LOCAL_TWILIO)]]);
let messages = new Map<string, Message>();
let callbacks: CallbackPost[] = [];
const timers = new Set<NodeJS.Timeout>();

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
/** Twilio's error body (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions). */
const twilioError = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);

function headersOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  req.headers.forEach((v, k) => (out[k] = v));
  return out;
}

/** X-Twilio-Signature for a POST of `params` to `url` under `authToken`. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  let text = url;
  for (const name of Object.keys(params).sort()) text += name + params[name];
  return createHmac("sha1", authToken).update(text, "utf8").digest("base64");
}

/** The account these Basic credentials open, or null (Twilio: 401, code 20003). */
function authenticate(req: Request): Account | null {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.get("authorization") ?? "");
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  if (user.startsWith("AC")) {
    const account = accounts.get(user);
    return account && account.authToken === password ? account : null;
  }
  for (const account of accounts.values()) if (account.apiKeys.get(user) === password && user.startsWith("SK")) return account;
  return null;
}

const rfc2822 = (d: Date) => d.toUTCString().replace("GMT", "+0000");

function resource(m: Message) {
  return {
    account_sid: m.account.sid,
    api_version: "2010-04-01",
    body: m.body,
    date_created: rfc2822(m.created),
    date_sent: null,
    date_updated: rfc2822(m.updated),
    direction: "outbound-api",
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: "0",
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 153))),
    price: null,
    price_unit: "USD",
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `/2010-04-01/Accounts/${m.account.sid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `/2010-04-01/Accounts/${m.account.sid}/Messages/${m.sid}.json`,
  };
}

const TO_MAGIC: Record<string, [number, string]> = {
  "+15005550001": [21211, "Invalid 'To' Phone Number: +15005550001"],
  "+15005550002": [21612, "The 'To' phone number: +15005550002, is not currently reachable using the 'From' phone number via SMS."],
  "+15005550003": [21408, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003."],
  "+15005550004": [21610, "Attempt to send to unsubscribed recipient"],
  "+15005550009": [21614, "'To' number +15005550009 is not a valid mobile number"],
};

/** Checks a send like Twilio does; the error response, or what to send. */
function validate(account: Account, form: URLSearchParams): { refusal: Response } | { to: string; from: string | null; service: string | null; body: string; whatsapp: boolean; contentSid: string | null } {
  const to = form.get("To");
  const from = form.get("From");
  const service = form.get("MessagingServiceSid");
  const body = form.get("Body") ?? "";
  const contentSid = form.get("ContentSid");
  if (!to) return { refusal: twilioError(400, 21604, "A 'To' phone number is required.") };
  if (!from && !service) return { refusal: twilioError(400, 21603, "A 'From' phone number is required.") };
  if (!body && !contentSid && !form.get("MediaUrl")) return { refusal: twilioError(400, 21602, "Message body is required.") };
  if (body.length > BODY_MAX_CHARS) return { refusal: twilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit.") };
  const whatsapp = to.startsWith("whatsapp:");
  if (from && from.startsWith("whatsapp:") !== whatsapp) {
    return { refusal: twilioError(400, 21910, "Invalid From and To pair. From and To should be of the same channel") };
  }
  const toNumber = whatsapp ? to.slice("whatsapp:".length) : to;
  if (!E164.test(toNumber)) return { refusal: twilioError(400, 21211, `Invalid 'To' Phone Number: ${toNumber}`) };
  if (from) {
    const fromNumber = whatsapp ? from.slice("whatsapp:".length) : from;
    if (!E164.test(fromNumber) || fromNumber === "+15005550001") return { refusal: twilioError(400, 21212, `Invalid From Number (caller ID): ${fromNumber}`) };
    const owned = whatsapp ? account.whatsappSenders.has(fromNumber) : account.numbers.has(fromNumber);
    if (!owned || fromNumber === "+15005550007") {
      return whatsapp
        ? { refusal: twilioError(400, 63007, `Twilio could not find a Channel with the specified From address: ${from}`) }
        : { refusal: twilioError(400, 21606, `The From phone number ${fromNumber} is not a valid, SMS-capable inbound phone number or short code for your account.`) };
    }
  } else if (!account.services.has(service!)) {
    return { refusal: twilioError(400, 21701, `The Messaging Service Sid ${service} is invalid.`) };
  }
  if (contentSid !== null && !/^HX[0-9a-fA-F]{32}$/.test(contentSid)) return { refusal: twilioError(400, 21655, "The ContentSid is Invalid.") };
  const variables = form.get("ContentVariables");
  if (variables !== null) {
    let ok = false;
    try {
      const v = JSON.parse(variables) as unknown;
      ok = !!v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");
    } catch {
      ok = false;
    }
    if (!ok) return { refusal: twilioError(400, 21656, "The ContentVariables Parameter is invalid.") };
  }
  const magic = TO_MAGIC[toNumber];
  if (magic) return { refusal: twilioError(400, magic[0], magic[1]) };
  return { to, from, service, body, whatsapp, contentSid };
}

/** The statuses the message's callbacks report, in order, with the final ErrorCode if any. */
function lifecycle(toNumber: string, whatsapp: boolean, contentSid: string | null): Array<{ status: string; errorCode?: number }> {
  if (whatsapp && toNumber.endsWith("0000") && !contentSid) return [{ status: "failed", errorCode: 63016 }];
  const undelivered = { "3003": 30003, "3005": 30005, "3006": 30006 }[toNumber.slice(-4)];
  if (undelivered) return [{ status: "sent" }, { status: "undelivered", errorCode: undelivered }];
  return [{ status: "sent" }, { status: "delivered" }];
}

function scheduleCallbacks(ctx: StandInContext, m: Message, url: string, steps: Array<{ status: string; errorCode?: number }>) {
  steps.forEach((step, i) => {
    const timer = setTimeout(async () => {
      timers.delete(timer);
      m.status = step.status;
      m.errorCode = step.errorCode ?? null;
      m.updated = new Date();
      const params: Record<string, string> = {
        AccountSid: m.account.sid,
        ApiVersion: "2010-04-01",
        From: m.from ?? "",
        MessageSid: m.sid,
        MessageStatus: step.status,
        SmsSid: m.sid,
        SmsStatus: step.status,
        To: m.to,
        ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
        ...(step.errorCode ? { ErrorCode: String(step.errorCode) } : {}),
      };
      const post: CallbackPost = { url, params, status: null };
      callbacks.push(post);
      try {
        const res = await ctx.fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": twilioSignature(m.account.authToken, url, params),
            "user-agent": "TwilioProxy/1.1",
          },
          body: new URLSearchParams(params).toString(),
        });
        post.status = res.status;
        await res.arrayBuffer();
      } catch (err) {
        post.error = err instanceof Error ? err.message : String(err);
      }
    }, CALLBACK_DELAY_MS * (i + 1));
    timer.unref();
    timers.add(timer);
  });
}

async function send(req: Request, url: URL, ctx: StandInContext, pathAccount: string): Promise<Response> {
  const raw = await req.text();
  const headers = headersOf(req);
  const answer = (res: Response, extra: { parsed?: unknown; messageId?: string } = {}) => {
    ctx.record({ method: req.method, path: url.pathname, headers, body: raw, status: res.status, ...extra });
    return res;
  };
  const account = authenticate(req);
  if (!account || account.sid !== pathAccount) {
    return answer(twilioError(401, 20003, "Authenticate", { "www-authenticate": 'Basic realm="Twilio API"' }));
  }
  // Twilio reads the body as a form whatever the Content-Type says; JSON simply has no To.
  const form = new URLSearchParams(/^application\/x-www-form-urlencoded/i.test(req.headers.get("content-type") ?? "") ? raw : "");
  const parsed = {
    to: form.get("To"),
    from: form.get("From"),
    messaging_service_sid: form.get("MessagingServiceSid"),
    body: form.get("Body"),
    content_sid: form.get("ContentSid"),
    content_variables: form.get("ContentVariables"),
    status_callback: form.get("StatusCallback"),
  };
  const v = validate(account, form);
  if ("refusal" in v) return answer(v.refusal, { parsed });

  const toNumber = v.whatsapp ? v.to.slice("whatsapp:".length) : v.to;
  const suffix = toNumber.slice(-4);
  if (suffix === "4290" && ctx.seen(`twilio:429:${v.to}`) === 0) return answer(twilioError(429, 20429, "Too Many Requests"), { parsed });
  if (suffix === "5000" && ctx.seen(`twilio:500:${v.to}`) === 0) return answer(twilioError(500, 20500, "Internal Server Error"), { parsed });
  if (suffix === "5030" && ctx.seen(`twilio:503:${v.to}`) === 0) return answer(twilioError(503, 20503, "Service Unavailable"), { parsed });
  if (suffix === "7000") await new Promise((r) => setTimeout(r, SLOW_MS));

  const now = new Date();
  const m: Message = {
    sid: `SM${hex(16)}`,
    account,
    to: v.to,
    from: v.from,
    body: v.body,
    messagingServiceSid: v.service,
    status: v.service ? "accepted" : "queued",
    errorCode: null,
    created: now,
    updated: now,
  };
  messages.set(m.sid, m);
  const callbackUrl = form.get("StatusCallback");
  if (callbackUrl && URL.canParse(callbackUrl)) scheduleCallbacks(ctx, m, callbackUrl, lifecycle(toNumber, v.whatsapp, v.contentSid));
  return answer(json(201, resource(m)), { parsed, messageId: m.sid });
}

function fetchMessage(req: Request, url: URL, ctx: StandInContext, pathAccount: string, sid: string): Response {
  const account = authenticate(req);
  let res: Response;
  const m = messages.get(sid);
  if (!account || account.sid !== pathAccount) res = twilioError(401, 20003, "Authenticate");
  else if (!m || m.account !== account) res = twilioError(404, 20404, `The requested resource ${url.pathname} was not found`);
  else res = json(200, resource(m));
  ctx.record({ method: req.method, path: url.pathname, headers: headersOf(req), body: "", status: res.status });
  return res;
}

export const twilio: StandIn = {
  name: "twilio",
  async handle(req, url, ctx) {
    const { pathname } = url;
    if (pathname === "/_standin/twilio/accounts" && req.method === "POST") {
      const fresh: AccountSpec = {
        account_sid: `AC${hex(16)}`,
        auth_token: hex(16),
        api_key_sid: `SK${hex(16)}`,
        api_key_secret: randomBytes(24).toString("base64url").replace(/[-_]/g, "x").slice(0, 32),
        from: LOCAL_TWILIO.from,
        whatsapp_from: LOCAL_TWILIO.whatsapp_from,
        messaging_service_sid: `MG${hex(16)}`,
      };
      accounts.set(fresh.account_sid, accountOf(fresh));
      return json(201, fresh);
    }
    if (pathname === "/_standin/twilio/callbacks" && req.method === "GET") return json(200, callbacks);
    if (!pathname.startsWith("/2010-04-01/")) return null;

    const create = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(pathname);
    if (create && req.method === "POST") return send(req, url, ctx, create[1]!);
    const one = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/.exec(pathname);
    if (one && req.method === "GET") return fetchMessage(req, url, ctx, one[1]!, one[2]!);
    const res = twilioError(404, 20404, `The requested resource ${pathname} was not found`);
    ctx.record({ method: req.method, path: pathname, headers: headersOf(req), body: "", status: 404 });
    return res;
  },
  // Accounts are credentials a running Herald holds: they survive a reset, as they would at Twilio.
  reset() {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    messages = new Map();
    callbacks = [];
  },
};
