// FCM HTTP v1's OAuth 2.0 access token, from the service account (Google's JWT-bearer flow,
// RFC 7523; https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
//
//   assertion = RS256 JWT { iss: client_email, scope: firebase.messaging, aud: token endpoint,
//                           iat, exp ≤ iat + 1 h }, header kid = private_key_id, signed with jose
//   POST https://oauth2.googleapis.com/token
//        grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>
//   → 200 { access_token, expires_in: 3599, token_type: "Bearer" }
//   → 400 { error: "invalid_grant", error_description }  (bad signature, unknown or disabled account)
//
// Always Google's fixed endpoint (through ctx.origin for the local stand-in), never the token_uri
// in the tenant's JSON: that would let a tenant make Herald POST a signed assertion anywhere.
//
// Cache: per isolate, one entry per service account — project_id + client_email + a SHA-256 of
// the private key. The key's hash is part of it so that a site that merely knows another site's
// (non-secret) project and client_email cannot ride on the token the other site's key fetched.
// A token is reused until FCM_TOKEN_REFRESH_MARGIN_S before it expires; concurrent sends share
// one in-flight fetch; a refusal is kept FCM_TOKEN_REFUSAL_CACHE_MS; dropFcmToken forgets a
// token FCM answered 401 for.
import { importPKCS8, SignJWT } from "jose";
import { FCM_JWT_TTL_S, FCM_TOKEN_CACHE_MAX_ENTRIES, FCM_TOKEN_REFRESH_MARGIN_S, FCM_TOKEN_REFUSAL_CACHE_MS } from "../../config";
import { sha256Hex } from "../../lib/encoding";
import { backoffDelayS, retryAfterS } from "../../lib/backoff";
import { callProvider } from "../http";
import type { ProviderSendResult } from "../types";
import type { ServiceAccount } from "./credentials";

export const GOOGLE_OAUTH_ORIGIN = "https://oauth2.googleapis.com";
export const GOOGLE_TOKEN_URL = `${GOOGLE_OAUTH_ORIGIN}/token`;
export const FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

export type TokenResult = { ok: true; token: string; expiresAt: number } | { ok: false; result: ProviderSendResult };

export interface TokenDeps {
  credentials: { service_account: ServiceAccount };
  fetch: typeof fetch;
  origin(real: string): string;
  now(): number;
}

interface Entry {
  promise: Promise<TokenResult>;
  /** Unix ms after which the entry is not used: the token's expiry minus the margin, or the
   *  end of a refusal's hold. Infinity while the fetch is in flight. */
  usableUntil: number;
}

const cache = new Map<string, Entry>();
const keyOf = new WeakMap<ServiceAccount, Promise<string>>();

function cacheKey(c: ServiceAccount): Promise<string> {
  let key = keyOf.get(c);
  if (!key) {
    key = sha256Hex(c.private_key).then((h) => `${c.project_id}\n${c.client_email}\n${h}`);
    keyOf.set(c, key);
  }
  return key;
}

/** A valid access token for the service account: cached, shared, or fetched now. */
export async function fcmAccessToken(deps: TokenDeps, attempt: number): Promise<TokenResult> {
  const key = await cacheKey(deps.credentials.service_account);
  const hit = cache.get(key);
  if (hit && hit.usableUntil > deps.now()) return hit.promise;

  // fetchToken answers every failure as data; the catch is for the unforeseen (a throwing
  // signer), which must not leave a rejected promise cached forever.
  const promise = fetchToken(deps, attempt).catch(() => refused("The FCM service account's private key could not be used to sign: upload the service-account JSON again.", null));
  const entry: Entry = { promise, usableUntil: Infinity };
  cache.delete(key);
  if (cache.size >= FCM_TOKEN_CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
  const result = await entry.promise;
  if (cache.get(key) === entry) {
    if (result.ok) entry.usableUntil = result.expiresAt - FCM_TOKEN_REFRESH_MARGIN_S * 1000;
    else if (result.result.outcome.kind === "failed") entry.usableUntil = deps.now() + FCM_TOKEN_REFUSAL_CACHE_MS;
    else cache.delete(key); // transient: the next send asks again
  }
  return result;
}

/** Forgets `token` (FCM answered 401 for it) unless a newer one already replaced it. */
export async function dropFcmToken(sa: ServiceAccount, token: string): Promise<void> {
  const key = await cacheKey(sa);
  const entry = cache.get(key);
  if (!entry || entry.usableUntil === Infinity) return;
  const current = await entry.promise;
  if (current.ok && current.token === token && cache.get(key) === entry) cache.delete(key);
}

/** For tests: forget every cached token. */
export function clearFcmTokenCache(): void {
  cache.clear();
}

const refused = (problem: string, httpStatus: number | null, providerCode?: string): TokenResult => ({
  ok: false,
  result: { outcome: { kind: "failed", reason: "credentials_rejected", configProblem: problem }, httpStatus, ...(providerCode ? { providerCode } : {}) },
});

async function signAssertion(c: ServiceAccount, nowMs: number): Promise<string | null> {
  let key: CryptoKey;
  try {
    key = await importPKCS8(c.private_key, "RS256");
  } catch {
    return null;
  }
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ scope: FCM_SCOPE })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(c.private_key_id ? { kid: c.private_key_id } : {}) })
    .setIssuer(c.client_email)
    .setAudience(GOOGLE_TOKEN_URL)
    .setIssuedAt(iat)
    .setExpirationTime(iat + FCM_JWT_TTL_S)
    .sign(key);
}

async function fetchToken(deps: TokenDeps, attempt: number): Promise<TokenResult> {
  const now = deps.now();
  const assertion = await signAssertion(deps.credentials.service_account, now);
  if (!assertion) return refused("The FCM service account's private key could not be read: upload the service-account JSON again.", null);

  const r = await callProvider(deps.fetch, `${deps.origin(GOOGLE_OAUTH_ORIGIN)}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
  });
  if ("error" in r) return { ok: false, result: { outcome: { kind: "retry", reason: r.error, delayS: backoffDelayS(attempt) }, httpStatus: null } };

  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(r.body) as unknown;
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: judged by the status alone
  }
  if (r.status === 200 && typeof body.access_token === "string" && body.access_token) {
    const expiresInS = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : FCM_JWT_TTL_S;
    return { ok: true, token: body.access_token, expiresAt: now + expiresInS * 1000 };
  }
  const after = r.headers.get("retry-after");
  if (r.status === 429) {
    return { ok: false, result: { outcome: { kind: "retry", reason: "rate_limited", delayS: after ? retryAfterS(after, now) : backoffDelayS(attempt) }, httpStatus: 429 } };
  }
  if (r.status >= 500 || r.status === 200) {
    return { ok: false, result: { outcome: { kind: "retry", reason: "server_error", delayS: after ? retryAfterS(after, now) : backoffDelayS(attempt) }, httpStatus: r.status } };
  }
  // 400 invalid_grant / unauthorized_client, 401 invalid_client …: Google's words name the cause
  // ("Invalid JWT Signature.", "account not found") and never echo the key.
  const error = typeof body.error === "string" ? body.error.slice(0, 64) : `HTTP ${r.status}`;
  const description = typeof body.error_description === "string" ? ` (${body.error_description.slice(0, 200)})` : "";
  return refused(`Google refused the FCM service account: ${error}${description}. Check that the service account and its key still exist.`, r.status, error);
}
