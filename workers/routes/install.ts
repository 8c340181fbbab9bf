// /api/sites/{siteId}/install-code and /install-check: the two snippets a site
// installs, and a check that its service worker file is reachable and imports Herald's.
import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, commonErrors, jsonResponse, newRouter } from "../lib/hono";
import { authorize } from "../services/access";
import { checkInstall, installCode } from "../services/install";
import { INSTALL_CHECK_REASONS } from "../contracts/install";
import { HttpsUrl, SiteParams } from "./schemas";

const InstallCode = z
  .object({
    sdk_snippet: z.string(),
    service_worker_snippet: z.string(),
    service_worker_path: z.string(),
    steps: z.array(
      z.object({
        id: z.enum(["service_worker", "sdk_tag", "subscribe", "identify", "check"]),
        title: z.string(),
        text: z.string(),
        snippets: z.array(z.object({ label: z.string(), language: z.enum(["html", "js", "php"]), code: z.string() })),
        optional: z.boolean(),
      }),
    ),
  })
  .openapi("InstallCode");
const InstallCheckRequest = z
  .strictObject({
    url: HttpsUrl.optional().openapi({
      description: "A page of the site (its origin must be the site's URL or one of its allowed_origins); default: the site's URL",
    }),
  })
  .openapi("InstallCheckRequest");
const InstallCheck = z
  .object({
    url: z.string().openapi({ description: "The service worker file fetched" }),
    reachable: z.boolean(),
    imports_herald: z.boolean(),
    status: z.number().int().nullable(),
    reason: z.enum(INSTALL_CHECK_REASONS).openapi({ description: "Stable code: installed, or why not" }),
    detail: z.string().openapi({ description: "One sentence for a person" }),
  })
  .openapi("InstallCheck");

const common = { tags: ["Sites"], security: bearerSecurity };

export const installRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/install-code",
      summary: "The SDK tag and the service worker file for this site",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(InstallCode, "Snippets"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "site:read");
      const heraldOrigin = c.env.PUBLIC_URL || new URL(c.req.url).origin;
      return c.json(await installCode(c.var.deps, c.var.access.siteId, heraldOrigin), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/install-check",
      summary: "Fetch the site's service worker file and check that it imports Herald's",
      request: {
        params: SiteParams,
        body: { content: { "application/json": { schema: InstallCheckRequest } }, required: false, description: "Optional" },
      },
      responses: { 200: jsonResponse(InstallCheck, "Result"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "site:read");
      return c.json(await checkInstall(c.var.deps, c.var.access.siteId, c.req.valid("json").url), 200);
    },
  );
