import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createSite, registerUser, tenant } from "../helpers";

describe("sites", () => {
  it("creates a site with the creator as owner and a VAPID public key", async () => {
    const { owner, site } = await tenant("site");
    expect(site.site_key).toMatch(/^pk_/);
    expect(site.vapid_public_key).toMatch(/^B[A-Za-z0-9_-]{86}$/); // 65-byte uncompressed point
    const me = await call("GET", "/api/me", { token: owner.token });
    expect(me.body.sites).toHaveLength(1);
    expect(me.body.sites[0].role).toBe("owner");
    const row = await env.DB.prepare("select private_key_enc from site_vapid_keys where site_id = ?").bind(site.id).first<{ private_key_enc: string }>();
    expect(row!.private_key_enc).toMatch(/^env1\.1\./);
  });

  it("updates settings by merging and validates them field by field", async () => {
    const { owner, site } = await tenant("settings");
    const ok = await call("PATCH", `/api/sites/${site.id}`, {
      token: owner.token,
      body: { settings: { timezone: "Europe/Paris", value_per_click: 0.25, soft_prompt: { enabled: true } } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.timezone).toBe("Europe/Paris");
    expect(ok.body.settings.soft_prompt.enabled).toBe(true);
    expect(ok.body.settings.soft_prompt.text.length).toBeGreaterThan(0);

    const bad = await call("PATCH", `/api/sites/${site.id}`, {
      token: owner.token,
      body: { settings: { timezone: "Mars/Olympus", allowed_origins: ["https://a.example.com/path"] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(["settings.allowed_origins.0", "settings.timezone"]);
    // Nothing stored was changed by the rejected request.
    const after = await call("GET", `/api/sites/${site.id}`, { token: owner.token });
    expect(after.body.settings.timezone).toBe("Europe/Paris");
  });

  it("rejects unknown fields instead of mass-assigning them", async () => {
    const { owner, site } = await tenant("mass");
    const r = await call("PATCH", `/api/sites/${site.id}`, { token: owner.token, body: { name: "x", site_key: "pk_mine" } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toEqual([{ path: "site_key", message: "Unknown field." }]);
  });

  it("answers bad bodies with 400/413/415 and stable codes, never 500", async () => {
    const { owner } = await tenant("bodies");
    const notJson = await call("POST", "/api/sites", { token: owner.token, raw: "{oops", headers: { "Content-Type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("invalid_json");
    const wrongType = await call("POST", "/api/sites", { token: owner.token, raw: "name=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.code).toBe("unsupported_media_type");
    const huge = await call("POST", "/api/sites", { token: owner.token, body: { name: "x".repeat(70 * 1024), url: "https://a.example" } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("payload_too_large");
    const missing = await call("POST", "/api/sites", { token: owner.token, body: { url: "ftp://x" } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(["name", "url"]);
  });

  it("sets security headers on every response", async () => {
    const r = await call("GET", "/healthz");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, d1: "ok" });
    expect(r.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(r.headers.get("Strict-Transport-Security")).toBeTruthy();
    const e = await call("GET", "/api/nope");
    expect(e.status).toBe(404);
    expect(e.headers.get("X-Frame-Options")).toBeTruthy();
  });

  it("deletes a site for its owner only", async () => {
    const { owner, site } = await tenant("del");
    const other = await registerUser("notmember");
    expect((await call("DELETE", `/api/sites/${site.id}`, { token: other.token })).status).toBe(404);
    expect((await call("DELETE", `/api/sites/${site.id}`, { token: owner.token })).status).toBe(204);
    expect((await call("GET", `/api/sites/${site.id}`, { token: owner.token })).status).toBe(404);
    const second = await createSite(owner.token, "again");
    expect(second.id).not.toBe(site.id);
  });

  it("serves the OpenAPI document and the interactive reference", async () => {
    const spec = await call("GET", "/openapi.json");
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe("3.1.0");
    expect(Object.keys(spec.body.paths)).toContain("/api/sites/{siteId}/api-keys");
    const docs = await call("GET", "/docs");
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain("swagger-ui");
  });
});
