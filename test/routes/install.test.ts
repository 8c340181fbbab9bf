import { describe, expect, it, vi } from "vitest";
import { call, tenant } from "../helpers";

describe("install", () => {
  it("returns the SDK tag and the service worker line for the site", async () => {
    const { owner, site } = await tenant("install");
    const r = await call("GET", `/api/sites/${site.id}/install-code`, { token: owner.token });
    expect(r.status).toBe(200);
    expect(r.body.sdk_snippet).toBe(`<script src="http://herald.test/sdk.js" data-site="${site.site_key}" async></script>`);
    expect(r.body.service_worker_snippet).toBe(`importScripts("http://herald.test/sw.js?site=${site.site_key}");`);
    expect(r.body.service_worker_path).toBe("/herald-sw.js");
  });

  it("checks that the site's service worker file imports Herald's", async () => {
    const { owner, site } = await tenant("check");
    const realFetch = globalThis.fetch;
    let body = "";
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = new Request(input as RequestInfo).url;
      if (url === "https://acme.example.com/herald-sw.js") return body ? new Response(body) : new Response("nope", { status: 404 });
      return realFetch(input as RequestInfo, init);
    });
    try {
      const missing = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token });
      expect(missing.body).toMatchObject({ reachable: false, imports_herald: false, status: 404 });
      body = `importScripts("https://herald.example/sw.js?site=${site.site_key}");`;
      const ok = await call("POST", `/api/sites/${site.id}/install-check`, { token: owner.token });
      expect(ok.body).toMatchObject({ reachable: true, imports_herald: true, status: 200 });
    } finally {
      spy.mockRestore();
    }
  });
});
