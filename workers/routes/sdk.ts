// Serves the browser side of Herald: the page SDK (/sdk.js and immutable /sdk/<version>.js),
// the inbox bundle it loads on first use of Herald.inbox (immutable /sdk/inbox-<version>.js;
// /sdk/inbox.js names the current one),
// the service worker that customer sites importScripts (/sw.js?site=KEY), and a demo
// customer page under /demo/. The scripts are built from sdk/ by scripts/build-sdk.ts.
import { Hono, type Context } from "hono";
import { DEMO_CSS, DEMO_JS, INBOX_JS, INBOX_VERSION, SDK_JS, SDK_VERSION, SW_JS } from "../generated/sdk-bundle";
import { ApiError } from "../errors";

/** /sdk.js is the URL customers paste; 5 min bounds how long a fix takes to reach every page. */
const SDK_MAX_AGE_S = 300;
/** Versioned URLs never change content. */
const IMMUTABLE_MAX_AGE_S = 31_536_000;
/** Browsers re-check imported worker scripts through the HTTP cache (updateViaCache "imports"),
 *  so keep this short: a new worker reaches subscribers within minutes of a deploy. */
const SW_MAX_AGE_S = 300;
/** Site keys as issued by /api/sites; the key is pasted into served JavaScript, so nothing else. */
const SITE_KEY_RE = /^[A-Za-z0-9_-]{1,64}$/;
const JS = "application/javascript; charset=utf-8";
/** The demo page loads only its own origin's scripts, styles and API. */
const DEMO_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const sdkRoutes = new Hono<{ Bindings: Env }>();

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A cacheable response with a strong ETag; 304 when the client already has it (RFC 9110 §13.1.2,
 *  where If-None-Match uses weak comparison, so a W/ prefix added by a proxy still matches). */
function cached(c: Context, body: string, contentType: string, etag: string, cacheControl: string): Response {
  const headers = {
    "Content-Type": contentType,
    "Cache-Control": cacheControl,
    ETag: etag,
    // Lets pages load the SDK with crossorigin / Subresource Integrity.
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
  };
  const ifNoneMatch = c.req.header("If-None-Match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => ["*", etag].includes(tag.trim().replace(/^W\//, "")))) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { headers });
}

/** The ?site= key, or undefined when it is missing or malformed. */
function siteKeyParam(c: Context): string | undefined {
  const key = c.req.query("site") ?? "";
  return SITE_KEY_RE.test(key) ? key : undefined;
}

function invalidSiteKey(): never {
  throw new ApiError("invalid_site_key", undefined, [{ path: "site", message: "Missing or malformed site key." }]);
}

sdkRoutes.get("/sdk.js", (c) =>
  cached(c, SDK_JS, JS, `"${SDK_VERSION}"`, `public, max-age=${SDK_MAX_AGE_S}`),
);

sdkRoutes.get("/sdk/:file", (c) => {
  const file = c.req.param("file");
  if (file === "inbox.js") return cached(c, INBOX_JS, JS, `"${INBOX_VERSION}"`, `public, max-age=${SDK_MAX_AGE_S}`);
  // The page SDK asks for exactly the inbox bundle it was built with.
  if (file === `inbox-${INBOX_VERSION}.js`) return cached(c, INBOX_JS, JS, `"${INBOX_VERSION}"`, `public, max-age=${IMMUTABLE_MAX_AGE_S}, immutable`);
  if (file !== `${SDK_VERSION}.js`) {
    throw new ApiError("not_found", `Unknown SDK version; the current one is /sdk/${SDK_VERSION}.js.`);
  }
  return cached(c, SDK_JS, JS, `"${SDK_VERSION}"`, `public, max-age=${IMMUTABLE_MAX_AGE_S}, immutable`);
});

sdkRoutes.get("/sw.js", async (c) => {
  const key = siteKeyParam(c);
  if (!key) return invalidSiteKey();
  // Both values are safe inside a JS string literal: an origin has no quotes or backslashes,
  // and the key matched SITE_KEY_RE.
  const origin = new URL(c.req.url).origin;
  const body = SW_JS.replaceAll("__HERALD_ORIGIN__", origin).replaceAll("__HERALD_SITE_KEY__", key);
  const etag = `"${(await sha256Hex(body)).slice(0, 16)}"`;
  return cached(c, body, JS, etag, `public, max-age=${SW_MAX_AGE_S}`);
});

// ─── Demo customer page ─────────────────────────────────────────────────────
// Plays a customer site hosted on Herald's own origin: its worker file lives at
// /demo/herald-sw.js, so the SDK is told (data-sw / data-scope) to register it for /demo/.

sdkRoutes.get("/demo/", (c) => {
  const key = siteKeyParam(c);
  const given = c.req.query("site");
  const content = key
    ? `<h1>Get our notifications</h1>
      <p>This page plays a customer site. It loads <code>/sdk.js</code> for site <code>${key}</code>.</p>
      <dl><dt>Permission</dt><dd id="permission">…</dd><dt>Subscribed</dt><dd id="subscribed">…</dd></dl>
      <label for="tags">Tags (comma-separated)</label>
      <input id="tags" value="news, deals" autocomplete="off">
      <div class="actions">
        <button id="subscribe" class="primary" disabled>Subscribe</button>
        <button id="unsubscribe" disabled>Unsubscribe</button>
        <button id="set-tags" disabled>Set tags</button>
      </div>
      <p id="status" role="status" aria-live="polite">Loading the SDK…</p>
    </div>
    <div class="card" id="signin-card">
      <h2>In-app inbox</h2>
      <div id="signed-in" hidden>
        <p>Signed in as <code id="user-name"></code>. The bell at the top shows this user's inbox; messages with the <code>in_app</code> channel appear there live.</p>
        <p id="inbox-status" role="status" aria-live="polite"></p>
        <a id="sign-out" href="/demo/?site=${key}">Sign out</a>
      </div>
      <form id="signin" method="get" action="/demo/" hidden>
        <p>Sign in as one of the site's users to see their inbox. The user hash is HMAC-SHA256 of the user id under the site's identity secret, computed by a server — for example
          <code>printf %s USER_ID | openssl dgst -sha256 -hmac "$IDENTITY_SECRET"</code>. The secret itself never goes into a page.</p>
        <input type="hidden" name="site" value="${key}">
        <label for="user">User id (external id)</label>
        <input id="user" name="user" required autocomplete="off" maxlength="255">
        <label for="user_hash">User hash</label>
        <input id="user_hash" name="user_hash" required autocomplete="off" pattern="[0-9a-fA-F]{64}" title="64 hexadecimal characters">
        <button class="primary">Sign in</button>
      </form>`
    : `<h1>Herald demo</h1>
      <p>${given ? "That is not a valid site key." : "Enter the site key of one of your sites."}</p>
      <form method="get" action="/demo/"><input name="site" aria-label="Site key" placeholder="site key" required pattern="[A-Za-z0-9_\\-]{1,64}"><button class="primary">Open</button></form>`;
  const sdkTag = key
    ? `<script src="/sdk.js" data-site="${key}" data-sw="/demo/herald-sw.js?site=${key}" data-scope="/demo/" async></script>
  <script src="/demo/demo.js" defer></script>`
    : "";
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Herald demo site</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/demo/demo.css">
  ${sdkTag}
</head>
<body>
  <header><strong>Demo Store</strong><span>powered by Herald</span><div id="inbox"></div></header>
  <main><div class="card">
      ${content}
  </div></main>
</body>
</html>
`;
  return c.html(html, key || !given ? 200 : 400, { "Content-Security-Policy": DEMO_CSP, "Cache-Control": "no-store" });
});

sdkRoutes.get("/demo/herald-sw.js", (c) => {
  const key = siteKeyParam(c);
  if (!key) return invalidSiteKey();
  // Exactly the one line a customer hosts at their root.
  const body = `importScripts(${JSON.stringify(`${new URL(c.req.url).origin}/sw.js?site=${key}`)});\n`;
  return c.body(body, 200, { "Content-Type": JS, "Cache-Control": "no-cache" });
});

sdkRoutes.get("/demo/demo.js", async (c) => cached(c, DEMO_JS, JS, `"${(await sha256Hex(DEMO_JS)).slice(0, 16)}"`, "no-cache"));
sdkRoutes.get("/demo/demo.css", async (c) =>
  cached(c, DEMO_CSS, "text/css; charset=utf-8", `"${(await sha256Hex(DEMO_CSS)).slice(0, 16)}"`, "no-cache"),
);
