// /api/sites/{siteId}/install-code and /install-check: the two snippets a site
// installs, and a check that its service worker file is reachable and imports Herald's.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { INSTALL_CHECK_TIMEOUT_MS, SERVICE_WORKER_PATH } from "../config";
import { findSite } from "../db/queries/sites";
import { ApiError } from "../errors";
import { type AppEnv, bearerSecurity, commonErrors, jsonResponse, newRouter } from "../lib/hono";
import { authorize } from "../services/access";
import { SiteParams } from "./schemas";

const InstallCode = z
  .object({
    sdk_snippet: z.string(),
    service_worker_snippet: z.string(),
    service_worker_path: z.string(),
    steps: z.array(z.string()),
  })
  .openapi("InstallCode");
const InstallCheck = z
  .object({ url: z.string(), reachable: z.boolean(), imports_herald: z.boolean(), status: z.number().int().nullable(), detail: z.string() })
  .openapi("InstallCheck");

const heraldOrigin = (c: Context<AppEnv>) => c.env.PUBLIC_URL || new URL(c.req.url).origin;

async function siteOf(c: Context<AppEnv>) {
  const site = await findSite(c.var.deps.db, c.var.access.siteId);
  if (!site) throw new ApiError("not_found", "Site not found.");
  return site;
}

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
      const site = await siteOf(c);
      const origin = heraldOrigin(c);
      const swSnippet = `importScripts("${origin}/sw.js?site=${site.siteKey}");`;
      return c.json(
        {
          sdk_snippet: `<script src="${origin}/sdk.js" data-site="${site.siteKey}" async></script>`,
          service_worker_snippet: swSnippet,
          service_worker_path: SERVICE_WORKER_PATH,
          steps: [
            `Create a file named ${SERVICE_WORKER_PATH.slice(1)} at the root of ${new URL(site.url).origin} containing: ${swSnippet}`,
            "Paste the script tag into every page, just before </body>.",
            "Call Herald.subscribe() from a button, or enable the soft prompt in Settings.",
            "Use “Check my installation” to confirm the service worker file is reachable.",
          ],
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/install-check",
      summary: "Fetch the site's service worker file and check that it imports Herald's",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(InstallCheck, "Result"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "site:read");
      const site = await siteOf(c);
      const url = new URL(SERVICE_WORKER_PATH, site.url).toString();
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(INSTALL_CHECK_TIMEOUT_MS), redirect: "manual" });
        const text = res.ok ? (await res.text()).slice(0, 10_000) : "";
        const imports = /importScripts\(\s*["'][^"']*\/sw\.js\?site=/.test(text) && text.includes(site.siteKey);
        const detail = !res.ok
          ? `${url} answered HTTP ${res.status}; service workers must be served from your own origin.`
          : imports
            ? "The service worker file imports Herald's service worker with this site's key."
            : `${url} does not contain the importScripts line with this site's key.`;
        return c.json({ url, reachable: res.ok, imports_herald: imports, status: res.status, detail }, 200);
      } catch (err) {
        return c.json({ url, reachable: false, imports_herald: false, status: null, detail: `Could not fetch ${url}: ${String(err)}` }, 200);
      }
    },
  );
