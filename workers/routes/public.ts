// Public endpoints called by browsers (the SDK on customer pages and the service
// worker): SDK config, subscribe, unsubscribe, engagement events. Subscribe and
// unsubscribe accept only the site's allowed origins (CORS + an Origin check);
// events are authenticated by their per-delivery token, so any origin may send them.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { SERVICE_WORKER_PATH, DATE_MAX_MS, EVENTS_LIMIT_PER_IP, MAX_ENDPOINT_CHARS, MAX_TAG_CHARS, MAX_TAGS, SUBSCRIBE_LIMIT_PER_IP, SUBSCRIBE_LIMIT_PER_SITE } from "../config";
import { findSiteByKey, findVapidKeys, type SiteRow } from "../db/queries/sites";
import { ApiError } from "../errors";
import { type AppEnv, errorResponse, jsonBody, jsonResponse, newRouter, publicErrors } from "../lib/hono";
import { recordEvent } from "../services/events";
import { clientIp, enforceRateLimits } from "../services/rate-limit";
import { subscribe, unsubscribe } from "../services/subscribers";

const SiteKey = z.string().min(1).max(64).openapi({ example: "pk_2Yw9cQm4Tn8Vx7Lh3Rb6Kp1D" });
export const Tags = z.array(z.string().trim().min(1).max(MAX_TAG_CHARS)).max(MAX_TAGS).openapi({ example: ["news", "vip"] });
const Endpoint = z.string().min(1).max(MAX_ENDPOINT_CHARS).openapi({ example: "https://fcm.googleapis.com/fcm/send/abc" });

const SubscribeBody = z
  .strictObject({
    site_key: SiteKey,
    subscription: z.strictObject({
      endpoint: Endpoint,
      expirationTime: z.number().int().min(0).max(DATE_MAX_MS).nullable().optional(),
      keys: z.strictObject({
        p256dh: z.string().min(1).max(200).openapi({ example: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM" }),
        auth: z.string().min(1).max(64).openapi({ example: "tBHItJI5svbpez7KI4CCXg" }),
      }),
    }),
    tags: Tags.optional(),
    external_id: z.string().min(1).max(200).nullable().optional().openapi({ description: "Your user id for this visitor; requires external_id_hash" }),
    external_id_hash: z
      .string()
      .max(128)
      .optional()
      .openapi({ description: "Hex HMAC-SHA256 of external_id under the site's identity secret, computed by your server" }),
    timezone: z.string().max(64).optional(),
    language: z.string().max(35).optional(),
    old_endpoint: Endpoint.optional().openapi({ description: "Replaced endpoint (pushsubscriptionchange)" }),
  })
  .openapi("SubscribeRequest");
const UnsubscribeBody = z.strictObject({ site_key: SiteKey, endpoint: Endpoint }).openapi("UnsubscribeRequest");
const EventBody = z
  .strictObject({
    token: z.string().min(1).max(512),
    type: z.enum(["impression", "click", "dismiss"]),
    action: z.string().max(64).optional(),
  })
  .openapi("EventRequest");

/**
 * CORS for the public endpoints. Preflights are answered for any origin; the response
 * itself is readable by any origin (`anyOrigin`: events, SDK config — the token or the
 * public key is the authority) or only when siteForBrowser accepted the origin.
 */
export const publicCors = (anyOrigin: boolean): MiddlewareHandler<AppEnv> => async (c, next) => {
  const origin = c.req.header("Origin");
  if (c.req.method === "OPTIONS") {
    return c.body(null, 204, {
      "Access-Control-Allow-Origin": origin ?? "*",
      "Access-Control-Allow-Methods": "GET, POST",
      "Access-Control-Allow-Headers": "Content-Type",
      "Access-Control-Max-Age": "600",
      Vary: "Origin",
    });
  }
  await next();
  if (origin && (anyOrigin || c.get("originAllowed"))) {
    c.header("Access-Control-Allow-Origin", origin);
    c.header("Vary", "Origin");
  }
};

/** The site's allowed origins: its settings, else its own URL's origin; plus Herald's own (the demo page). */
function allowedOrigins(site: SiteRow, c: Context<AppEnv>): string[] {
  const configured = site.settings.allowed_origins ?? [];
  const own = [new URL(c.req.url).origin, c.env.PUBLIC_URL];
  return [...(configured.length ? configured : [new URL(site.url).origin]), ...own];
}

async function siteForBrowser(c: Context<AppEnv>, siteKey: string): Promise<SiteRow> {
  const site = await findSiteByKey(c.var.deps.db, siteKey);
  if (!site) throw new ApiError("not_found", "Unknown site_key.", [{ path: "site_key", message: "Unknown site key." }]);
  const origin = c.req.header("Origin");
  if (origin && !allowedOrigins(site, c).includes(origin)) {
    throw new ApiError("origin_not_allowed", `Origin ${origin} is not in the site's allowed origins.`);
  }
  c.set("originAllowed", true);
  await enforceRateLimits(c.env, [
    { key: `subscribe:ip:${clientIp(c.req.raw.headers)}`, limit: SUBSCRIBE_LIMIT_PER_IP },
    { key: `subscribe:site:${site.id}`, limit: SUBSCRIBE_LIMIT_PER_SITE },
  ]);
  return site;
}

const tags = ["Public (browser)"];
const notFoundSite = { 404: errorResponse("Unknown site_key"), 403: errorResponse("Origin not allowed, or external_id not verified (identity_unverified)") };

export const publicRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/sdk/config",
      tags,
      summary: "What the SDK needs to subscribe a visitor",
      request: { query: z.object({ site_key: SiteKey }) },
      responses: {
        200: jsonResponse(
          z.object({
            site_key: z.string(),
            vapid_public_key: z.string(),
            soft_prompt: z.object({ enabled: z.boolean(), text: z.string(), delay_s: z.number() }),
            service_worker_path: z.string(),
          }),
          "SDK configuration",
        ),
        404: notFoundSite[404],
        ...publicErrors,
      },
    }),
    async (c) => {
      const { site_key } = c.req.valid("query");
      const site = await findSiteByKey(c.var.deps.db, site_key);
      const keys = site && (await findVapidKeys(c.var.deps.db, site.id));
      if (!site || !keys) throw new ApiError("not_found", "Unknown site_key.", [{ path: "site_key", message: "Unknown site key." }]);
      c.header("Cache-Control", "public, max-age=60");
      return c.json(
        { site_key, vapid_public_key: keys.publicKey, soft_prompt: site.settings.soft_prompt, service_worker_path: SERVICE_WORKER_PATH },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/subscribe",
      tags,
      summary: "Subscribe a browser (upsert by endpoint)",
      request: jsonBody(SubscribeBody),
      responses: {
        201: jsonResponse(z.object({ subscriber_id: z.string() }), "New subscriber"),
        200: jsonResponse(z.object({ subscriber_id: z.string() }), "Existing subscriber refreshed"),
        ...notFoundSite,
        ...publicErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const site = await siteForBrowser(c, body.site_key);
      const result = await subscribe(c.var.deps, site.id, body, {
        userAgent: c.req.header("User-Agent"),
        country: (c.req.raw.cf?.country as string | undefined) ?? null,
      });
      return c.json({ subscriber_id: result.subscriber_id }, result.created ? 201 : 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/unsubscribe",
      tags,
      summary: "Unsubscribe a browser by endpoint",
      request: jsonBody(UnsubscribeBody),
      responses: { 204: { description: "Unsubscribed (also when already gone)" }, ...notFoundSite, ...publicErrors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const site = await siteForBrowser(c, body.site_key);
      await unsubscribe(c.var.deps, site.id, body.endpoint);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/events",
      tags,
      summary: "Report an impression, click or dismissal (token from the push payload)",
      request: jsonBody(EventBody),
      responses: {
        204: { description: "Recorded (each type once per delivery)" },
        401: errorResponse("Invalid token"),
        410: errorResponse("The subscriber or notification was erased (subscriber_gone)"),
        ...publicErrors,
      },
    }),
    async (c) => {
      await enforceRateLimits(c.env, [{ key: `events:ip:${clientIp(c.req.raw.headers)}`, limit: EVENTS_LIMIT_PER_IP }]);
      await recordEvent(c.var.deps, c.req.valid("json"));
      return c.body(null, 204);
    },
  );
