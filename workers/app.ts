// The Hono app: global middleware (security headers, body limits, content type,
// deps), authentication for /api/me and /api/sites, the site-access guard for
// every /api/sites/{siteId}/… route, one sub-app per resource, and the single onError.
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { HTTPException } from "hono/http-exception";
import type { MiddlewareHandler } from "hono";
import { CALLBACK_MAX_BODY_BYTES, MAX_JSON_BODY_BYTES, MAX_JSON_DEPTH, ROUTE_ECHO_MAX_CHARS, TRIGGER_BODY_MAX_BYTES } from "./config";
import { ApiError, CODE_FOR_HTTP_STATUS } from "./errors";
import { inboxAuth } from "./http/inbox-auth";
import { API_CSP, SECURITY_HEADERS } from "./http/security-headers";
import { type AppEnv, assertPathId, newRouter } from "./lib/hono";
import { jsonTextDepth } from "./lib/json-limits";
import { analyticsRoutes } from "./routes/analytics";
import { apiKeyRoutes } from "./routes/api-keys";
import { authRoutes } from "./routes/auth";
import { memberRoutes } from "./routes/members";
import { identityRoutes } from "./routes/identity";
import { inboxRoutes } from "./routes/inbox";
import { categoryRoutes } from "./routes/categories";
import { recurringRoutes } from "./routes/recurring";
import { hookRoutes } from "./routes/hooks";
import { triggerRoutes } from "./routes/triggers";
import { feedRoutes } from "./routes/feeds";
import { dripRoutes } from "./routes/drips";
import { segmentRoutes } from "./routes/segments";
import { preferenceRoutes } from "./routes/preferences";
import { integrationRoutes } from "./routes/integrations";
import { resendCallbackRoutes } from "./routes/callbacks/resend";
import { sendgridCallbackRoutes } from "./routes/callbacks/sendgrid";
import { twilioCallbackRoutes } from "./routes/callbacks/twilio";
import { installRoutes } from "./routes/install";
import { meRoutes } from "./routes/me";
import { metricsRoutes } from "./routes/metrics";
import { notificationRoutes } from "./routes/notifications";
import { publicCors, publicRoutes } from "./routes/public";
import { subscriberRoutes } from "./routes/subscribers";
import { sdkRoutes } from "./routes/sdk";
import { siteRoutes } from "./routes/sites";
import { systemRoutes } from "./routes/system";
import { templateRoutes } from "./routes/templates";
import { messageRoutes } from "./routes/messages";
import { userRoutes } from "./routes/users";
import { userInboxRoutes } from "./routes/user-inbox";
import { broadcastRoutes } from "./routes/broadcasts";
import { documentWebhookEvents, webhookRoutes } from "./routes/webhooks";
import { authenticate, resolveSiteAccess } from "./services/access";
import { makeDeps } from "./services/deps";

/** Bodies of POST/PUT/PATCH must be JSON, and no deeper than MAX_JSON_DEPTH: the depth is read
 *  off the text before anything parses it (the route's validator reuses the text Hono cached). */
const requireJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  const hasBody = c.req.header("Content-Length") !== undefined ? c.req.header("Content-Length") !== "0" : c.req.raw.body !== null;
  if (hasBody && ["POST", "PUT", "PATCH"].includes(c.req.method)) {
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") throw new ApiError("unsupported_media_type");
    if (jsonTextDepth(await c.req.text(), MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      throw new ApiError("json_too_deep", `Arrays and objects in the request body may nest at most ${MAX_JSON_DEPTH} levels deep.`);
    }
  }
  await next();
};

/** The same headers as the dashboard's static assets (http/security-headers.ts). A route that
 *  serves a page sets its own Content-Security-Policy; JSON gets the strictest one. */
const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  if (!c.res.headers.has("Content-Security-Policy") && c.res.headers.get("Content-Type")?.startsWith("application/json")) {
    c.res.headers.set("Content-Security-Policy", API_CSP);
  }
};

const authn: MiddlewareHandler<AppEnv> = async (c, next) => {
  // Browsers cannot set headers on a WebSocket upgrade: the live route takes ?access_token=.
  const queryToken = c.req.header("Upgrade") ? c.req.query("access_token") : undefined;
  const header = c.req.header("Authorization") ?? (queryToken ? `Bearer ${queryToken}` : undefined);
  c.set("principal", await authenticate(c.var.deps, header));
  await next();
};

const siteAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  const siteId = c.req.param("siteId") ?? "";
  assertPathId("siteId", siteId); // malformed: 400 before any lookup; well-formed but not yours: 404
  c.set("access", await resolveSiteAccess(c.var.deps, c.var.principal, siteId));
  await next();
};

export function createApp() {
  const app = newRouter();

  app.use(securityHeaders);
  app.use("*", async (c, next) => {
    c.set("deps", makeDeps(c.env));
    await next();
  });
  // Provider status callbacks are not our API's JSON: they keep their raw body (it is what the
  // provider signed), in the provider's content type, and may be larger (SendGrid batches events).
  app.use(
    "/api/*",
    except(
      "/api/callbacks/*",
      bodyLimit({
        maxSize: MAX_JSON_BODY_BYTES,
        onError: () => {
          throw new ApiError("payload_too_large", `Request bodies are limited to ${MAX_JSON_BODY_BYTES / 1024} KB.`);
        },
      }),
      requireJson,
    ),
  );
  app.use(
    "/api/callbacks/*",
    bodyLimit({
      maxSize: CALLBACK_MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `Callback bodies are limited to ${CALLBACK_MAX_BODY_BYTES / 1024} KB.`);
      },
    }),
  );
  // Inbound triggers: the raw body is what the caller signed (routes/hooks.ts reads it as text).
  app.use(
    "/hooks/*",
    bodyLimit({
      maxSize: TRIGGER_BODY_MAX_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `Trigger bodies are limited to ${TRIGGER_BODY_MAX_BYTES / 1024} KB.`);
      },
    }),
  );
  app.use("/api/subscribe", publicCors(false));
  app.use("/api/unsubscribe", publicCors(false));
  app.use("/api/events", publicCors(true));
  app.use("/api/sdk/*", publicCors(true));
  // A "/x/*" pattern matches "/x" itself too: one registration per prefix, or the middleware
  // runs twice (twice the authentication work, two rate-limit tokens per request).
  // The end user's inbox: the site's signed user identity, CORS for its pages (http/inbox-auth.ts).
  app.use("/api/inbox/*", inboxAuth as unknown as MiddlewareHandler<AppEnv>);
  app.use("/api/me/*", authn);
  app.use("/api/sites/*", authn);
  app.use("/api/sites/:siteId/*", siteAccess);

  app.route("/", systemRoutes);
  app.route("/", sdkRoutes);
  app.route("/api/auth", authRoutes);
  app.route("/api/me", meRoutes);
  app.route("/api/sites", siteRoutes);
  app.route("/api/sites", memberRoutes);
  app.route("/api/sites", apiKeyRoutes);
  app.route("/api/sites", subscriberRoutes);
  app.route("/api/sites", notificationRoutes);
  app.route("/api/sites", installRoutes);
  app.route("/api/sites", identityRoutes);
  app.route("/api/sites", userRoutes);
  app.route("/api/sites", userInboxRoutes);
  app.route("/api/sites", templateRoutes);
  app.route("/api/sites", integrationRoutes);
  app.route("/api/sites", webhookRoutes);
  documentWebhookEvents(app);
  app.route("/api/sites", messageRoutes);
  app.route("/api/sites", broadcastRoutes);
  app.route("/api/sites", categoryRoutes);
  app.route("/api/sites", recurringRoutes);
  app.route("/api/sites", dripRoutes);
  app.route("/api/sites", segmentRoutes);
  app.route("/api/sites", triggerRoutes);
  app.route("/api/sites", feedRoutes);
  app.route("/", hookRoutes);
  app.route("/api/sites", preferenceRoutes);
  app.route("/api/sites", analyticsRoutes);
  app.route("/", metricsRoutes);
  app.route("/api", publicRoutes);
  app.route("/api/inbox", inboxRoutes);
  app.route("/api/callbacks", sendgridCallbackRoutes);
  app.route("/api/callbacks", twilioCallbackRoutes);
  app.route("/api/callbacks", resendCallbackRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    description: "A user access token (JWT from /api/auth/login) or a site API key (hk_…)",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Herald API",
      version: "1.0.0",
      description: "Edge-native notifications. Errors: { error: { code, message, fields? } } with stable codes.",
    },
  });

  app.notFound((c) => {
    const path = c.req.path.length > ROUTE_ECHO_MAX_CHARS ? `${c.req.path.slice(0, ROUTE_ECHO_MAX_CHARS)}…` : c.req.path;
    throw new ApiError("route_not_found", `No such route: ${c.req.method} ${path}`);
  });
  app.onError((err, c) => {
    const e = err instanceof ApiError ? err : err instanceof HTTPException ? fromHttpException(err) : undefined;
    if (e) return c.json(e.toJSON(), e.status, e.headers);
    console.error("unhandled error", c.req.method, c.req.path, err);
    const internal = new ApiError("internal");
    return c.json(internal.toJSON(), internal.status);
  });
  return app;
}

/** A framework's HTTPException (Hono's validator: 400 malformed JSON; zod-openapi: 415) keeps
 *  its status and gets the catalogue's code and words; an unlisted 4xx is logged and answered
 *  as bad_request, an unlisted 5xx as internal. */
function fromHttpException(err: HTTPException): ApiError {
  if (err.status === 400 && /JSON/i.test(err.message)) return new ApiError("invalid_json");
  const code = CODE_FOR_HTTP_STATUS[err.status];
  if (code) return new ApiError(code);
  console.error("HTTPException without a catalogue code", err.status, err.message);
  return new ApiError(err.status < 500 ? "bad_request" : "internal");
}

export const app = createApp();
