// The end-user inbox API's gate (/api/inbox…): CORS for the site's pages, the signed user
// identity (services/inbox/auth.ts) from headers — or, on the WebSocket upgrade, from the query
// (browsers cannot set headers there) — the Origin check and a rate limit per user. Routes read
// the verified user from c.var.inboxUser.
import type { MiddlewareHandler } from "hono";
import { INBOX_LIMIT_PER_USER, INBOX_RETENTION_DAYS_DEFAULT } from "../config";
import { ApiError } from "../errors";
import type { AppEnv } from "../lib/hono";
import { allowedOrigins, assertUserHash, inboxSite } from "../services/inbox/auth";
import { enforceRateLimits } from "../services/rate-limit";

export const INBOX_HEADERS = { siteKey: "X-Herald-Site-Key", externalId: "X-Herald-External-Id", userHash: "X-Herald-User-Hash" } as const;
const INBOX_QUERY = { siteKey: "site_key", externalId: "external_id", userHash: "user_hash" } as const;

export interface InboxUser {
  siteId: string;
  externalId: string;
  retentionDays: number;
}
export interface InboxEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { inboxUser: InboxUser };
}

export const inboxAuth: MiddlewareHandler<InboxEnv> = async (c, next) => {
  const origin = c.req.header("Origin");
  if (c.req.method === "OPTIONS") {
    // Preflights carry no credentials: answered for any origin; the response itself is readable
    // only by the site's allowed origins (below).
    return c.body(null, 204, {
      "Access-Control-Allow-Origin": origin ?? "*",
      "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
      "Access-Control-Allow-Headers": `Content-Type, ${Object.values(INBOX_HEADERS).join(", ")}`,
      "Access-Control-Max-Age": "600",
      Vary: "Origin",
    });
  }
  const ws = c.req.header("Upgrade")?.toLowerCase() === "websocket";
  const names = ws ? INBOX_QUERY : INBOX_HEADERS;
  const creds = ws
    ? { siteKey: c.req.query("site_key"), externalId: c.req.query("external_id"), userHash: c.req.query("user_hash") }
    : { siteKey: c.req.header(INBOX_HEADERS.siteKey), externalId: c.req.header(INBOX_HEADERS.externalId), userHash: c.req.header(INBOX_HEADERS.userHash) };
  const { site, secrets, externalId } = await inboxSite(c.var.deps, creds, names);
  if (origin && !allowedOrigins(site, new URL(c.req.url).origin, c.env.PUBLIC_URL).includes(origin)) {
    throw new ApiError("origin_not_allowed", `Origin ${origin} is not in the site's allowed origins.`);
  }
  try {
    await assertUserHash(secrets, externalId, creds.userHash, names);
    await enforceRateLimits(c.env, [{ key: `inbox:${site.id}:${externalId}`, limit: INBOX_LIMIT_PER_USER }]);
  } catch (err) {
    // An allowed page may read why it was refused (identity_unverified, rate_limited).
    if (origin && err instanceof ApiError) throw new ApiError(err.code, err.message, err.fields, { ...err.headers, "Access-Control-Allow-Origin": origin, Vary: "Origin" });
    throw err;
  }
  c.set("inboxUser", { siteId: site.id, externalId, retentionDays: site.settings.inbox_retention_days ?? INBOX_RETENTION_DAYS_DEFAULT });
  await next();
  if (origin) {
    c.header("Access-Control-Allow-Origin", origin);
    c.header("Vary", "Origin");
  }
};
