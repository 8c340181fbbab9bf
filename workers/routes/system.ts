// Operational endpoints: health check, the OpenAPI document, the interactive API
// reference (Swagger UI served from our own static assets), and the admin
// re-encryption of secrets after a master key rotation.
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../errors";
import { jsonResponse, newRouter } from "../lib/hono";
import { reencryptSecrets } from "../services/secrets";
import { bearerMatches } from "../lib/tokens";

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Herald API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/docs-assets/init.js"></script>
</body></html>`;

export const systemRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/healthz",
      tags: ["System"],
      summary: "Liveness and D1 reachability",
      responses: {
        200: jsonResponse(z.object({ ok: z.literal(true), d1: z.literal("ok") }), "Healthy"),
        503: jsonResponse(z.object({ ok: z.literal(false), d1: z.string() }), "D1 unreachable"),
      },
    }),
    async (c) => {
      try {
        await c.env.DB.prepare("select 1").first();
        return c.json({ ok: true as const, d1: "ok" as const }, 200);
      } catch (err) {
        console.error("healthz: D1 failed", err);
        return c.json({ ok: false as const, d1: "unreachable" }, 503);
      }
    },
  )
  .get("/docs", (c) =>
    c.html(DOCS_HTML, 200, {
      "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
    }),
  )
  .post("/api/admin/reencrypt-secrets", async (c) => {
    if (!bearerMatches(c.req.header("Authorization"), c.env.ADMIN_TOKEN)) throw new ApiError("unauthorized");
    return c.json(await reencryptSecrets(c.var.deps, c.req.query("cursor") ?? ""), 200);
  });
