// Installing Herald on a site: the two snippets, and "Check my installation", which
// fetches the site's service worker file through safeFetch (the only way Herald fetches a
// tenant URL) and says, in one sentence, whether it imports Herald's with this site's key.
//
//   page URL        optional; its origin must be the site's or one of its allowed_origins
//   fetched         <that origin>/herald-sw.js (SERVICE_WORKER_PATH)
//   reason          installed | a safeFetch refusal (contracts/outbound.ts) | not_found
//                   (404) | http_error (other non-2xx) | redirected (browsers refuse to
//                   register a service worker script behind a redirect) | missing_import
//                   | other_site_key
import { INSTALL_CHECK_TIMEOUT_MS, SERVICE_WORKER_PATH } from "../config";
import type { InstallCheckReason, InstallCheckResult, InstallStep } from "../contracts/install";
import { findSite } from "../db/queries/sites";
import { invalidField, notFound } from "../errors";
import { outboundPolicy, safeFetch } from "../lib/safe-fetch";
import type { Deps } from "./deps";

async function siteOf(deps: Deps, siteId: string) {
  const site = await findSite(deps.db, siteId);
  if (!site) throw notFound("Site not found.");
  return site;
}

/** The snippets a site installs, pointing at Herald's public origin, as ordered steps. */
export async function installCode(deps: Deps, siteId: string, heraldOrigin: string) {
  const site = await siteOf(deps, siteId);
  const swSnippet = `importScripts("${heraldOrigin}/sw.js?site=${site.siteKey}");`;
  const sdkSnippet = `<script src="${heraldOrigin}/sdk.js" data-site="${site.siteKey}" async></script>`;
  const steps: InstallStep[] = [
    {
      id: "service_worker",
      title: "Add the service worker file",
      text: `Create a file served at ${SERVICE_WORKER_PATH} on ${new URL(site.url).origin} with exactly this content. Browsers only accept a service worker from your own origin.`,
      snippets: [{ label: SERVICE_WORKER_PATH.slice(1), language: "js", code: swSnippet }],
      optional: false,
    },
    {
      id: "sdk_tag",
      // The tag is async: in <head> it starts loading early and still never blocks the page.
      title: "Add the Herald tag to every page",
      text: "Paste this just before </head> in your site template. It loads in the background and never blocks your page.",
      snippets: [{ label: "HTML", language: "html", code: sdkSnippet }],
      optional: false,
    },
    {
      id: "subscribe",
      title: "Ask visitors to subscribe",
      text: "Call Herald.subscribe() from a button (browsers need a click to show the permission prompt), or enable the soft prompt in Settings.",
      snippets: [{ label: "HTML", language: "html", code: `<button onclick="Herald.subscribe()">Get notifications</button>` }],
      optional: false,
    },
    {
      id: "identify",
      title: "Link signed-in users (optional)",
      text:
        "To send to your own user ids, your server signs each user's id with this site's identity secret (Settings → Identity verification) " +
        "and the page passes both to Herald. Never put the secret itself in a page.",
      snippets: [
        { label: "Node", language: "js", code: `const userHash = require("node:crypto").createHmac("sha256", process.env.HERALD_IDENTITY_SECRET).update(user.id).digest("hex");` },
        { label: "PHP", language: "php", code: `$userHash = hash_hmac('sha256', $user->id, getenv('HERALD_IDENTITY_SECRET'));` },
        { label: "Page", language: "js", code: `Herald.identify("USER_ID", "USER_HASH"); // and Herald.logout() on sign-out` },
      ],
      optional: true,
    },
    {
      id: "check",
      title: "Check your installation",
      text: "Herald fetches your service worker file and checks that it loads Herald's with this site's key.",
      snippets: [],
      optional: false,
    },
  ];
  return { sdk_snippet: sdkSnippet, service_worker_snippet: swSnippet, service_worker_path: SERVICE_WORKER_PATH, steps };
}

/** `pageUrl` is the field `url` of the request; errors name that field. */
export async function checkInstall(deps: Deps, siteId: string, pageUrl?: string): Promise<InstallCheckResult> {
  const site = await siteOf(deps, siteId);
  const siteOrigin = new URL(site.url).origin;
  const origin = pageUrl === undefined ? siteOrigin : new URL(pageUrl).origin;
  const allowed = [siteOrigin, ...(site.settings.allowed_origins ?? [])];
  if (!allowed.includes(origin)) {
    throw invalidField("url", `Must be a page on ${allowed.join(" or ")} (the site's URL or its allowed origins).`);
  }

  const url = new URL(SERVICE_WORKER_PATH, origin).href;
  const res = await safeFetch(url, { fetcher: deps.fetch, ...outboundPolicy(deps.env), timeoutMs: INSTALL_CHECK_TIMEOUT_MS });
  const result = (reason: InstallCheckReason, detail: string, status: number | null = null, reachable = false, imports = false) => ({
    url,
    reachable,
    imports_herald: imports,
    status,
    reason,
    detail,
  });
  if (!res.ok) {
    if (res.cause !== undefined) console.warn("install check fetch failed", { url: res.url, reason: res.reason, cause: res.cause });
    return result(res.reason, res.message);
  }
  if (res.status === 404) return result("not_found", `${url} was not found (HTTP 404); create the file at the root of your site.`, 404);
  if (res.status < 200 || res.status > 299) return result("http_error", `${url} answered HTTP ${res.status} instead of the file.`, res.status);
  if (res.redirects > 0) {
    return result(
      "redirected",
      `${url} redirects to ${res.finalUrl}; browsers do not register a service worker behind a redirect, so serve the file at ${url} itself.`,
      res.status,
    );
  }
  const keys = [...res.body.matchAll(/importScripts\(\s*["'][^"']*\/sw\.js\?site=([^"'&]+)/g)].map((m) => m[1]!);
  if (keys.includes(site.siteKey)) {
    return result("installed", "The service worker file imports Herald's service worker with this site's key.", res.status, true, true);
  }
  if (keys.length > 0) {
    return result("other_site_key", `${url} imports Herald's service worker with another site's key (${keys[0]}); use this site's line.`, res.status, true);
  }
  return result("missing_import", `${url} was found but does not contain the importScripts line with this site's key.`, res.status, true);
}
