import { afterEach, describe, expect, it, vi } from "vitest";
import { call, registerUser, tenant } from "../helpers";

/** Plays the internet for the Worker's fetch: `files` by exact URL, every host name
 *  resolving (over the DoH endpoint in wrangler.toml) to `dns[host]` or a public address. */
function fakeInternet(files: Record<string, () => Response | Promise<Response>>, dns: Record<string, string> = {}) {
  const fetched: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(new Request(input as RequestInfo, init).url);
    if (url.origin + url.pathname === "https://cloudflare-dns.com/dns-query") {
      const name = url.searchParams.get("name")!;
      const address = dns[name] ?? "93.184.215.14";
      const type = url.searchParams.get("type") === "AAAA" ? 28 : 1;
      const answer = address.includes(":") === (type === 28) ? [{ name, type, TTL: 60, data: address }] : [];
      return Response.json({ Status: 0, Answer: answer });
    }
    fetched.push(url.href);
    return files[url.href]?.() ?? new Response("ami-id\ninstance-id\n"); // what a metadata service would say
  });
  return fetched;
}

async function siteAt(url: string, label = "siteAt") {
  const owner = await registerUser(label);
  const res = await call("POST", "/api/sites", { token: owner.token, body: { name: label, url } });
  expect(res.status).toBe(201);
  return { owner, site: res.body as { id: string; site_key: string } };
}

const swLine = (siteKey: string) => `importScripts("https://herald.example/sw.js?site=${siteKey}");`;

afterEach(() => vi.restoreAllMocks());

describe("install code", () => {
  it("returns the SDK tag and the service worker line for the site", async () => {
    const { owner, site } = await tenant("install");
    const r = await call("GET", `/api/sites/${site.id}/install-code`, { token: owner.token });
    expect(r.status).toBe(200);
    expect(r.body.sdk_snippet).toBe(`<script src="http://herald.test/sdk.js" data-site="${site.site_key}" async></script>`);
    expect(r.body.service_worker_snippet).toBe(`importScripts("http://herald.test/sw.js?site=${site.site_key}");`);
    expect(r.body.service_worker_path).toBe("/herald-sw.js");
  });

  it("tells you to put the async tag just before </head>, as the dashboard does", async () => {
    const { owner, site } = await tenant("install-head");
    const r = await call("GET", `/api/sites/${site.id}/install-code`, { token: owner.token });
    const steps = r.body.steps as Array<{ id: string; text: string; snippets: Array<{ code: string }> }>;
    expect(steps.map((st) => st.id)).toEqual(["service_worker", "sdk_tag", "subscribe", "identify", "check"]);
    expect(steps.find((st) => st.id === "sdk_tag")!.text).toContain("just before </head>");
    expect(JSON.stringify(steps)).not.toContain("</body>");
    expect(steps.find((st) => st.id === "sdk_tag")!.snippets[0]!.code).toBe(r.body.sdk_snippet);
    // The identity step shows how to sign, never the secret itself.
    expect(JSON.stringify(steps.find((st) => st.id === "identify"))).toContain("createHmac");
  });
});

describe("install check", () => {
  it.each([
    ["http://127.0.0.1:9/", "The address 127.0.0.1 is in a private network; Herald only fetches public https addresses."],
    ["https://169.254.169.254/", "The address 169.254.169.254 is in a private network; Herald only fetches public https addresses."],
  ])("refuses a site at %s in words, without fetching it", async (siteUrl, detail) => {
    const { owner, site } = await siteAt(siteUrl, "private-site");
    const fetched = fakeInternet({});
    const r = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ reachable: false, imports_herald: false, status: null, reason: "private_address", detail });
    expect(fetched).toEqual([]);
  });

  it("refuses a site whose host name resolves to a private address", async () => {
    const { owner, site } = await siteAt("https://rebind.example.net/", "rebind");
    const fetched = fakeInternet({}, { "rebind.example.net": "10.1.2.3" });
    const r = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token });
    expect(r.body).toMatchObject({
      reachable: false,
      reason: "resolves_private",
      detail: "rebind.example.net resolves to 10.1.2.3, which is in a private network; Herald only fetches public https addresses.",
    });
    expect(fetched).toEqual([]);
  });

  it("rejects a page URL from another origin with 400 naming the field", async () => {
    const { owner, site } = await tenant("other-origin");
    const fetched = fakeInternet({});
    const r = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token, body: { url: "https://evil.example/page" } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("validation_failed");
    expect(r.body.error.fields).toEqual([{ path: "url", message: expect.stringContaining("https://acme.example.com") }]);
    expect(fetched).toEqual([]);
  });

  it("rejects unknown body fields and non-URLs", async () => {
    const { owner, site } = await tenant("strict-body");
    const unknown = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token, body: { page: "https://acme.example.com/" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([{ path: "page", message: "Unknown field." }]);
    const notUrl = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token, body: { url: "acme.example.com" } });
    expect(notUrl.status).toBe(400);
    expect(notUrl.body.error.fields[0].path).toBe("url");
  });

  it("reports imports_herald when the service worker file imports Herald's with this site's key", async () => {
    const { owner, site } = await tenant("check");
    let file = "";
    fakeInternet({
      "https://acme.example.com/herald-sw.js": () =>
        file ? new Response(file, { headers: { "content-type": "text/javascript" } }) : new Response("nope", { status: 404 }),
    });
    const check = () => call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token, body: { url: "https://acme.example.com/pricing" } });

    expect((await check()).body).toMatchObject({
      url: "https://acme.example.com/herald-sw.js",
      reachable: false,
      imports_herald: false,
      status: 404,
      reason: "not_found",
      detail: "https://acme.example.com/herald-sw.js was not found (HTTP 404); create the file at the root of your site.",
    });
    file = "self.addEventListener('install', () => {});";
    expect((await check()).body).toMatchObject({ reachable: true, imports_herald: false, status: 200, reason: "missing_import" });
    file = swLine("someone-elses-key");
    expect((await check()).body).toMatchObject({ reachable: true, imports_herald: false, reason: "other_site_key" });
    file = swLine(site.site_key);
    expect((await check()).body).toEqual({
      url: "https://acme.example.com/herald-sw.js",
      reachable: true,
      imports_herald: true,
      status: 200,
      reason: "installed",
      detail: "The service worker file imports Herald's service worker with this site's key.",
    });
  });

  it("checks the site's URL when there is no body", async () => {
    const { owner, site } = await tenant("no-body");
    const fetched = fakeInternet({ "https://acme.example.com/herald-sw.js": () => new Response(swLine(site.site_key)) });
    const r = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token });
    expect(r.body).toMatchObject({ reachable: true, imports_herald: true });
    expect(fetched).toEqual(["https://acme.example.com/herald-sw.js"]);
  });

  it("checks a page on one of the site's allowed origins at that origin", async () => {
    const { owner, site } = await tenant("allowed-origin");
    const patch = await call("PATCH", `/api/sites/${site.id}`, {
      token: owner.token,
      body: { settings: { allowed_origins: ["https://acme.example.com", "https://www.acme-shop.example"] } },
    });
    expect(patch.status).toBe(200);
    const fetched = fakeInternet({ "https://www.acme-shop.example/herald-sw.js": () => new Response(swLine(site.site_key)) });
    const r = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token, body: { url: "https://www.acme-shop.example/cart" } });
    expect(r.body).toMatchObject({ url: "https://www.acme-shop.example/herald-sw.js", reachable: true, imports_herald: true });
    expect(fetched).toEqual(["https://www.acme-shop.example/herald-sw.js"]);
  });

  it("says a redirected service worker file will not register", async () => {
    const { owner, site } = await tenant("redirected");
    fakeInternet({
      "https://acme.example.com/herald-sw.js": () => new Response(null, { status: 301, headers: { location: "https://cdn.acme.example.com/herald-sw.js" } }),
      "https://cdn.acme.example.com/herald-sw.js": () => new Response(swLine(site.site_key)),
    });
    const r = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token });
    expect(r.body).toMatchObject({ reachable: false, imports_herald: false, reason: "redirected" });
    expect(r.body.detail).toContain("browsers do not register a service worker behind a redirect");
  });

  it("says in words when the site does not answer in time", async () => {
    const { owner, site } = await tenant("slow");
    fakeInternet({ "https://acme.example.com/herald-sw.js": () => new Promise<Response>(() => {}) });
    const r = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token });
    expect(r.body).toMatchObject({ reachable: false, status: null, reason: "timeout", detail: "acme.example.com did not answer within 5 seconds." });
  }, 15_000);

  it("fetches a local stand-in over http when its origin is in OUTBOUND_ALLOW_ORIGINS", async () => {
    const { owner, site } = await siteAt("http://127.0.0.1:8799/", "stand-in");
    const fetched = fakeInternet({ "http://127.0.0.1:8799/herald-sw.js": () => new Response(swLine(site.site_key)) });
    const r = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token });
    expect(r.body).toMatchObject({ url: "http://127.0.0.1:8799/herald-sw.js", reachable: true, imports_herald: true, reason: "installed" });
    expect(fetched).toEqual(["http://127.0.0.1:8799/herald-sw.js"]);
  });
});
