// FCM stand-in: Google's OAuth token endpoint (JWT-bearer grant for service accounts) and the
// FCM HTTP v1 send, as Google serves them, for service accounts this stand-in issued.
//
//   POST /_standin/fcm/service-accounts { project_id }
//        → 201 a complete service-account JSON (fresh RSA-2048 key pair, PKCS#8 PEM; token_uri is
//          Google's real https://oauth2.googleapis.com/token, as in a real file)
//   GET  /_standin/fcm/stats     → { token_fetches: { <project>: n }, sends: { <project>: n } }
//   POST /_standin/fcm/revoke-tokens → every access token issued so far stops working (401)
//   (POST /_standin/reset clears the counts; issued accounts and tokens stay valid, as at Google)
//
//   POST /token   grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>
//        200 { access_token: "ya29.…", expires_in: 3599, token_type: "Bearer" }
//        400 { error: "unsupported_grant_type" | "invalid_request" | "invalid_grant" | "invalid_scope",
//              error_description }  — the assertion must be RS256, signed by an issued account's
//              key (iss = its client_email), aud = https://oauth2.googleapis.com/token, a scope
//              with firebase.messaging (or cloud-platform), iat not ahead, exp in the future and
//              at most 1 h after iat
//   POST /v1/projects/{project}/messages:send   Authorization: Bearer <access token>
//        200 { name: "projects/{project}/messages/0:…" }
//        401 UNAUTHENTICATED   no, unknown, expired or revoked token
//        403 PERMISSION_DENIED the token's service account is another project's
//        400 INVALID_ARGUMENT  not JSON, an unknown field, not exactly one of token/topic/condition,
//                              non-string data values or reserved data keys (from, notification,
//                              message_type, google.*, gcm.*), a webpush link that is not https
// Errors are Google's shape: { error: { code, message, status, details: [{ "@type":
// "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode }, …] } }.
//
// Failure modes by the registration token's prefix:
//   unregistered-  404 UNREGISTERED                 invalid-      400 INVALID_ARGUMENT (field message.token)
//   mismatch-      403 SENDER_ID_MISMATCH           thirdparty-   401 THIRD_PARTY_AUTH_ERROR
//   quota-         429 QUOTA_EXCEEDED + Retry-After: 1, once per token, then 200
//   unavailable-   503 UNAVAILABLE once             internal-     500 INTERNAL once
//   slow-          200 after SLOW_MS                anything else: 200
import { createPublicKey, generateKeyPair, randomBytes, verify, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { StandIn, StandInContext } from "./types.ts";

const SLOW_MS = 3000;
const TOKEN_LIFETIME_S = 3599;
const CLOCK_SKEW_S = 60;
const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
const SCOPES = ["https://www.googleapis.com/auth/firebase.messaging", "https://www.googleapis.com/auth/cloud-platform"];
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
const MESSAGE_FIELDS = new Set(["name", "data", "notification", "android", "webpush", "apns", "fcm_options", "token", "topic", "condition"]);
const generateRsa = promisify(generateKeyPair);

interface Account {
  projectId: string;
  publicKey: KeyObject;
}
interface IssuedToken {
  projectId: string;
  expiresAt: number;
}

let accounts = new Map<string, Account>();
let tokens = new Map<string, IssuedToken>();
let tokenFetches: Record<string, number> = {};
let sends: Record<string, number> = {};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=UTF-8", ...headers } });
const oauthError = (error: string, description: string) => json(400, { error, error_description: description });
const googleError = (code: number, status: string, message: string, details: unknown[] = [], headers: Record<string, string> = {}) =>
  json(code, { error: { code, message, status, ...(details.length ? { details } : {}) } }, headers);
const fcmError = (code: number, status: string, errorCode: string, message: string, extra: unknown[] = [], headers: Record<string, string> = {}) =>
  googleError(code, status, message, [{ "@type": FCM_ERROR, errorCode }, ...extra], headers);

function headersOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  req.headers.forEach((v, k) => (out[k] = v));
  return out;
}

async function issueServiceAccount(projectId: string) {
  const { publicKey, privateKey } = await generateRsa("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const clientEmail = `firebase-adminsdk-${randomBytes(3).toString("hex").slice(0, 5)}@${projectId}.iam.gserviceaccount.com`;
  accounts.set(clientEmail, { projectId, publicKey: createPublicKey(publicKey) });
  return {
    type: "service_account",
    project_id: projectId,
    private_key_id: randomBytes(20).toString("hex"),
    private_key: privateKey,
    client_email: clientEmail,
    client_id: String(100000000000000000000n + BigInt(`0x${randomBytes(8).toString("hex")}`)),
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: GOOGLE_TOKEN_URL,
    auth_provider_x509_cert_url: "https://www.googleapis.com/oauth2/v1/certs",
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: "googleapis.com",
  };
}

const decodeSegment = (s: string): Record<string, unknown> | null => {
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** Google's token endpoint for the JWT-bearer grant. */
function token(form: URLSearchParams): Response {
  const grant = form.get("grant_type");
  if (grant !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return oauthError("unsupported_grant_type", `Invalid grant_type: ${grant ?? ""}`);
  const assertion = form.get("assertion");
  if (!assertion) return oauthError("invalid_request", "Missing required parameter: assertion");
  const parts = assertion.split(".");
  const header = parts.length === 3 ? decodeSegment(parts[0]!) : null;
  const claims = parts.length === 3 ? decodeSegment(parts[1]!) : null;
  if (!header || !claims) return oauthError("invalid_grant", "Invalid JWT: could not be parsed.");
  if (header.alg !== "RS256") return oauthError("invalid_grant", "Invalid JWT: only RS256 is accepted.");
  const account = typeof claims.iss === "string" ? accounts.get(claims.iss) : undefined;
  if (!account) return oauthError("invalid_grant", "Invalid grant: account not found");
  const signed = verify("RSA-SHA256", Buffer.from(`${parts[0]}.${parts[1]}`), account.publicKey, Buffer.from(parts[2]!, "base64url"));
  if (!signed) return oauthError("invalid_grant", "Invalid JWT Signature.");
  if (claims.aud !== GOOGLE_TOKEN_URL) return oauthError("invalid_grant", "Invalid JWT: Failed audience check. The right audience is https://oauth2.googleapis.com/token");
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = claims;
  if (typeof iat !== "number" || typeof exp !== "number" || iat > now + CLOCK_SKEW_S || exp <= now || exp - iat > 3600) {
    return oauthError("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
  }
  const scopes = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
  if (!scopes.some((s) => SCOPES.includes(s))) return oauthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
  const accessToken = `ya29.local-${randomBytes(24).toString("base64url")}`;
  tokens.set(accessToken, { projectId: account.projectId, expiresAt: Date.now() + TOKEN_LIFETIME_S * 1000 });
  tokenFetches[account.projectId] = (tokenFetches[account.projectId] ?? 0) + 1;
  return json(200, { access_token: accessToken, expires_in: TOKEN_LIFETIME_S, token_type: "Bearer" });
}

const invalid = (message: string, field?: string) =>
  fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", message, field ? [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field, description: message }] }] : []);

/** Checks the v1 message like FCM does; the refusal, or null. */
function validateMessage(body: unknown): Response | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return invalid("Invalid JSON payload received. Expected an object.");
  const outer = body as Record<string, unknown>;
  for (const key of Object.keys(outer)) if (key !== "message" && key !== "validate_only") return invalid(`Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
  const m = outer.message;
  if (!m || typeof m !== "object" || Array.isArray(m)) return invalid("Request contains an invalid argument.", "message");
  const message = m as Record<string, unknown>;
  for (const key of Object.keys(message)) {
    if (!MESSAGE_FIELDS.has(key)) return invalid(`Invalid JSON payload received. Unknown name "${key}" at 'message': Cannot find field.`);
  }
  const targets = ["token", "topic", "condition"].filter((k) => message[k] !== undefined);
  if (targets.length !== 1) return invalid("Exactly one of token, topic or condition must be set.", "message");
  if (message.token !== undefined && (typeof message.token !== "string" || !message.token)) return invalid("The registration token is not a valid FCM registration token", "message.token");
  if (message.notification !== undefined) {
    const n = message.notification as Record<string, unknown>;
    if (!n || typeof n !== "object") return invalid("Invalid value at 'message.notification'.", "message.notification");
    for (const [k, v] of Object.entries(n)) {
      if (!["title", "body", "image"].includes(k)) return invalid(`Invalid JSON payload received. Unknown name "${k}" at 'message.notification': Cannot find field.`);
      if (typeof v !== "string") return invalid(`Invalid value at 'message.notification.${k}' (TYPE_STRING).`, `message.notification.${k}`);
    }
  }
  if (message.data !== undefined) {
    const d = message.data as Record<string, unknown>;
    if (!d || typeof d !== "object" || Array.isArray(d)) return invalid("Invalid value at 'message.data'.", "message.data");
    for (const [k, v] of Object.entries(d)) {
      if (typeof v !== "string") return invalid(`Invalid value at 'message.data[${k}].value' (TYPE_STRING).`, `message.data[${k}].value`);
      if (["from", "notification", "message_type"].includes(k) || k.startsWith("google.") || k.startsWith("gcm.")) {
        return invalid(`Invalid data payload key: ${k}`, "message.data");
      }
    }
  }
  const link = (message.webpush as { fcm_options?: { link?: unknown } } | undefined)?.fcm_options?.link;
  if (link !== undefined && (typeof link !== "string" || !link.startsWith("https://"))) return invalid("The link must be an HTTPS URL.", "message.webpush.fcm_options.link");
  return null;
}

async function messagesSend(req: Request, raw: string, ctx: StandInContext, project: string): Promise<{ res: Response; parsed?: unknown; messageId?: string }> {
  const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
  const issued = bearer ? tokens.get(bearer) : undefined;
  if (!issued || issued.expiresAt <= Date.now()) {
    return {
      res: googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."),
    };
  }
  if (issued.projectId !== project) {
    return {
      res: googleError(403, "PERMISSION_DENIED", `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${project}' (or it may not exist).`),
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { res: invalid("Invalid JSON payload received. Unexpected token.") };
  }
  const refusal = validateMessage(body);
  if (refusal) return { res: refusal, parsed: body };
  const message = (body as { message: Record<string, unknown> }).message;
  const parsed = message;
  const target = typeof message.token === "string" ? message.token : "";
  if (target.startsWith("unregistered-")) return { res: fcmError(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."), parsed };
  if (target.startsWith("invalid-")) {
    return {
      res: invalid("The registration token is not a valid FCM registration token", "message.token"),
      parsed,
    };
  }
  if (target.startsWith("mismatch-")) return { res: fcmError(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch"), parsed };
  if (target.startsWith("thirdparty-")) return { res: fcmError(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", "Auth error from APNS or Web Push Service"), parsed };
  if (target.startsWith("quota-") && ctx.seen(`fcm:quota:${target}`) === 0) {
    return { res: fcmError(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded for quota metric 'Send messages' of service 'fcm.googleapis.com'.", [], { "retry-after": "1" }), parsed };
  }
  if (target.startsWith("unavailable-") && ctx.seen(`fcm:unavailable:${target}`) === 0) return { res: fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."), parsed };
  if (target.startsWith("internal-") && ctx.seen(`fcm:internal:${target}`) === 0) return { res: fcmError(500, "INTERNAL", "INTERNAL", "Internal error encountered."), parsed };
  if (target.startsWith("slow-")) await new Promise((r) => setTimeout(r, SLOW_MS));
  sends[project] = (sends[project] ?? 0) + 1;
  const name = `projects/${project}/messages/0:${Date.now()}%${randomBytes(8).toString("hex")}`;
  return { res: json(200, { name }), parsed, messageId: name };
}

export const fcm: StandIn = {
  name: "fcm",
  async handle(req, url, ctx) {
    const { pathname } = url;
    if (pathname === "/_standin/fcm/service-accounts" && req.method === "POST") {
      let projectId: unknown;
      try {
        projectId = (JSON.parse(await req.text()) as { project_id?: unknown }).project_id;
      } catch {
        projectId = undefined;
      }
      if (typeof projectId !== "string" || !PROJECT_ID.test(projectId)) {
        return json(400, { error: "project_id must be 6 to 30 lowercase letters, digits or hyphens, starting with a letter." });
      }
      return json(201, await issueServiceAccount(projectId));
    }
    if (pathname === "/_standin/fcm/stats" && req.method === "GET") return json(200, { token_fetches: tokenFetches, sends });
    if (pathname === "/_standin/fcm/revoke-tokens" && req.method === "POST") {
      const revoked = tokens.size;
      tokens = new Map();
      return json(200, { revoked });
    }

    const send = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(pathname);
    if (pathname !== "/token" && !send) return null;
    const raw = await req.text();
    const headers = headersOf(req);
    if (pathname === "/token") {
      const res = req.method === "POST" ? token(new URLSearchParams(raw)) : oauthError("invalid_request", "The token endpoint takes POST.");
      ctx.record({ method: req.method, path: pathname, headers, body: raw, status: res.status });
      return res;
    }
    const out = req.method === "POST" ? await messagesSend(req, raw, ctx, decodeURIComponent(send![1]!)) : { res: googleError(405, "METHOD_NOT_ALLOWED", "Method not allowed.") };
    ctx.record({ method: req.method, path: pathname, headers, body: raw, status: out.res.status, ...(out.parsed !== undefined ? { parsed: out.parsed } : {}), ...(out.messageId ? { messageId: out.messageId } : {}) });
    return out.res;
  },
  // Issued service accounts and access tokens are credentials a running Herald holds: they stay
  // valid across a reset, as they would at Google. The counts start again.
  reset() {
    tokenFetches = {};
    sends = {};
  },
};
