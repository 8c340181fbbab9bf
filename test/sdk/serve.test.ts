// The SDK routes (workers/routes/sdk.ts) tested through the Worker inside workerd: caching
// headers and revalidation, the versioned URL, service worker substitution and the
// site-key check that keeps arbitrary text out of served JavaScript.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { INBOX_JS, INBOX_VERSION, SDK_JS, SDK_VERSION, SW_JS } from "../../workers/generated/sdk-bundle";

const get = (path: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request(`https://herald.test${path}`, { headers }));

describe("GET /sdk.js", () => {
  it("serves the built SDK with a 5-minute cache and its version as the ETag", async () => {
    const res = await get("/sdk.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/javascript; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(res.headers.get("ETag")).toBe(`"${SDK_VERSION}"`);
    expect(await res.text()).toBe(SDK_JS);
  });

  it("answers 304 without a body when If-None-Match has the current ETag, weak or in a list", async () => {
    for (const tag of [`"${SDK_VERSION}"`, `W/"${SDK_VERSION}"`, `"old", "${SDK_VERSION}"`]) {
      const res = await get("/sdk.js", { "If-None-Match": tag });
      expect(res.status, tag).toBe(304);
      expect(await res.text()).toBe("");
      expect(res.headers.get("ETag")).toBe(`"${SDK_VERSION}"`);
    }
  });

  it("sends the full body again when the client's ETag is stale", async () => {
    const res = await get("/sdk.js", { "If-None-Match": '"000000000000"' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(SDK_JS);
  });
});

describe("GET /sdk/:version.js", () => {
  it("serves the current version as immutable for a year", async () => {
    const res = await get(`/sdk/${SDK_VERSION}.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(await res.text()).toBe(SDK_JS);
    expect((await get(`/sdk/${SDK_VERSION}.js`, { "If-None-Match": `"${SDK_VERSION}"` })).status).toBe(304);
  });

  it("404s a version this deployment does not have", async () => {
    for (const path of ["/sdk/000000000000.js", `/sdk/${SDK_VERSION}`, "/sdk/latest.js"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });

  it("names the version after the first 12 hex digits of the SDK's SHA-256", async () => {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(SDK_JS)));
    const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(SDK_VERSION).toBe(hex.slice(0, 12));
  });
});

describe("GET /sw.js", () => {
  it("substitutes the Herald origin and the site key for the placeholders", async () => {
    expect(SW_JS).toContain('"__HERALD_ORIGIN__"');
    expect(SW_JS).toContain('"__HERALD_SITE_KEY__"');
    const res = await get("/sw.js?site=pk_Demo-123");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/javascript; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    const body = await res.text();
    expect(body).not.toContain("__HERALD_");
    expect(body).toContain('"https://herald.test"');
    expect(body).toContain('"pk_Demo-123"');
    expect(body).toContain("/api/events");
  });

  it("gives each site its own ETag and revalidates it", async () => {
    const a = (await get("/sw.js?site=site_a")).headers.get("ETag");
    const b = (await get("/sw.js?site=site_b")).headers.get("ETag");
    expect(a).toMatch(/^"[0-9a-f]{16}"$/);
    expect(a).not.toBe(b);
    expect((await get("/sw.js?site=site_a", { "If-None-Match": a! })).status).toBe(304);
    expect((await get("/sw.js?site=site_b", { "If-None-Match": a! })).status).toBe(200);
  });

  it("rejects a missing or malformed site key with 400 invalid_site_key", async () => {
    const bad = ["", "?site=", `?site=${"k".repeat(65)}`, '?site=a"+alert(1)+"', "?site=a%0Ab", "?site=a.b", "?site=%E2%9C%93"];
    for (const query of bad) {
      const res = await get(`/sw.js${query}`);
      expect(res.status, query).toBe(400);
      const json = (await res.json()) as { error: { code: string; message: string; fields: { path: string }[] } };
      expect(json.error.code).toBe("invalid_site_key");
      expect(json.error.fields).toEqual([{ path: "site", message: "Missing or malformed site key." }]);
    }
    expect((await get(`/sw.js?site=${"k".repeat(64)}`)).status).toBe(200);
  });
});

describe("GET /sdk/inbox-:version.js (the inbox bundle Herald.inbox loads)", () => {
  it("serves the bundle the page SDK names, immutable, and /sdk/inbox.js as the current one for 5 minutes", async () => {
    expect(SDK_JS, "the page SDK loads exactly its own build's bundle").toContain(`/sdk/inbox-${INBOX_VERSION}.js`);
    const versioned = await get(`/sdk/inbox-${INBOX_VERSION}.js`);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get("Content-Type")).toBe("application/javascript; charset=utf-8");
    expect(versioned.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(versioned.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await versioned.text()).toBe(INBOX_JS);
    const current = await get("/sdk/inbox.js");
    expect(current.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(await current.text()).toBe(INBOX_JS);
    expect((await get("/sdk/inbox.js", { "If-None-Match": `"${INBOX_VERSION}"` })).status).toBe(304);
  });

  it("404s an inbox version this deployment does not have", async () => {
    const res = await get("/sdk/inbox-000000000000.js");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("carries no zod: the SDK imports the contracts' types only", () => {
    expect(INBOX_JS).not.toMatch(/ZodError|zod/);
  });
});

describe("demo page", () => {
  it("loads the SDK for ?site= with its worker scoped to /demo/, under a self-only CSP", async () => {
    const res = await get("/demo/?site=pk_demo");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await res.text();
    expect(html).toContain('<script src="/sdk.js" data-site="pk_demo" data-sw="/demo/herald-sw.js?site=pk_demo" data-scope="/demo/" async>');
    expect(html).not.toMatch(/<script>|<style>| style="/); // nothing inline: the CSP would block it
    for (const id of ["subscribe", "unsubscribe", "set-tags", "status"]) expect(html).toContain(`id="${id}"`);
    // The inbox: a place for the bell, and a sign-in form that never asks for the identity secret.
    for (const id of ["inbox", "signin", "user", "user_hash"]) expect(html).toContain(`id="${id}"`);
    expect(html).not.toMatch(/name="(secret|identity_secret)"/);
  });

  it("never writes the signed-in user into the HTML (the script shows it as text)", async () => {
    const html = await (await get("/demo/?site=pk_demo&user=%3Cimg%20src%3Dx%3E&user_hash=abc")).text();
    expect(html).not.toContain("<img");
  });

  it("asks for a key instead of echoing a malformed one", async () => {
    const res = await get("/demo/?site=%3Cscript%3E");
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("sdk.js");
    expect(html).toContain("not a valid site key");
    expect((await get("/demo/")).status).toBe(200);
  });

  it("serves the one-line customer worker file importing /sw.js for the site", async () => {
    const res = await get("/demo/herald-sw.js?site=pk_demo");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/javascript; charset=utf-8");
    expect(await res.text()).toBe('importScripts("https://herald.test/sw.js?site=pk_demo");\n');
    expect((await get("/demo/herald-sw.js?site=a'b")).status).toBe(400);
  });

  it("serves its script and styles as files", async () => {
    const js = await get("/demo/demo.js");
    expect(js.headers.get("Content-Type")).toBe("application/javascript; charset=utf-8");
    expect(await js.text()).toContain("HeraldQueue");
    const css = await get("/demo/demo.css");
    expect(css.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect((await get("/demo/demo.css", { "If-None-Match": css.headers.get("ETag")! })).status).toBe(304);
  });
});
