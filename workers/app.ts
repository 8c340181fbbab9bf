// The Hono app: global middleware (security headers, body limits, content type,
// deps), authentication for /api/me and /api/sites, the site-access guard for
// every /api/sites/{siteId}/… route, one sub-app per resource, and the single onError.
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { MiddlewareHandler } from "hono";
import { MAX_JSON_BODY_BYTES } from "./config";
import { ApiError } from "./errors";
import { API_CSP, SECURITY_HEADERS } from "./http/security-headers";
import { type AppEnv, newRouter } from "./lib/hono";
import { analyticsRoutes } from "./routes/analytics";
import { apiKeyRoutes } from "./routes/api-keys";
import { authRoutes } from "./routes/auth";
import { memberRoutes } from "./routes/members";
import { identityRoutes } from "./routes/identity";
import { installRoutes } from "./routes/install";
import { meRoutes } from "./routes/me";
import { metricsRoutes } from "./routes/metrics";
import { notificationRoutes } from "./routes/notifications";
import { publicCors, publicRoutes } from "./routes/public";
import { subscriberRoutes } from "./routes/subscribers";
import { sdkRoutes } from "./routes/sdk";
import { siteRoutes } from "./routes/sites";
import { systemRoutes } from "./routes/system";
import { authenticate, resolveSiteAccess } from "./services/access";
import { makeDeps } from "./services/deps";

const requireJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  const hasBody = c.req.header("Content-Length") !== undefined ? c.req.header("Content-Length") !== "0" : c.req.raw.body !== null;
  if (hasBody && ["POST", "PUT", "PATCH"].includes(c.req.method)) {
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") throw new ApiError("unsupported_media_type");
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
  c.set("access", await resolveSiteAccess(c.var.deps, c.var.principal, c.req.param("siteId") ?? ""));
  await next();
};

export function createApp() {
  const app = newRouter();

  app.use(securityHeaders);
  app.use("*", async (c, next) => {
    c.set("deps", makeDeps(c.env));
    await next();
  });
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_JSON_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `Request bodies are limited to ${MAX_JSON_BODY_BYTES / 1024} KB.`);
      },
    }),
    requireJson,
  );
  app.use("/api/subscribe", publicCors(false));
  app.use("/api/unsubscribe", publicCors(false));
  app.use("/api/events", publicCors(true));
  app.use("/api/sdk/*", publicCors(true));
  app.use("/api/me", authn);
  app.use("/api/me/*", authn);
  app.use("/api/sites", authn);
  app.use("/api/sites/*", authn);
  app.use("/api/sites/:siteId", siteAccess);
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
  app.route("/api/sites", analyticsRoutes);
  app.route("/", metricsRoutes);
  app.route("/api", publicRoutes);

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

  app.notFound(() => {
    throw new ApiError("not_found", "No such route.");
  });
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.toJSON(), err.status, err.headers);
    if (err instanceof HTTPException && err.status === 400) {
      const e = new ApiError("invalid_json");
      return c.json(e.toJSON(), e.status);
    }
    console.error("unhandled error", c.req.method, c.req.path, err);
    const e = new ApiError("internal");
    return c.json(e.toJSON(), e.status);
  });
  return app;
}

export const app = createApp();
