// Webhook endpoints API (issue #8 §6): create with the secret shown once, list and read with a
// hint only, edit, delete, limits, validation naming the field, roles and scopes, tenants.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WEBHOOK_ENDPOINTS_PER_SITE_MAX } from "../../workers/config";
import { WEBHOOK_EVENT_TYPES } from "../../workers/contracts/webhook-events";
import { call, registerUser, tenant } from "../helpers";

const URL_OK = "https://hooks.example.com/herald";

describe("webhook endpoints", () => {
  it("shows the whsec_ secret once at creation; list and get show only its hint", async () => {
    const { owner, site } = await tenant("whcreate");
    const base = `/api/sites/${site.id}/webhooks`;
    const created = await call("POST", base, { token: owner.token, body: { url: URL_OK, description: "Orders", event_types: ["message.failed", "message.sent", "message.failed"] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: URL_OK,
      description: "Orders",
      event_types: ["message.sent", "message.failed"], // catalogue order, once each
      enabled: true,
      disabled_reason: null,
      failing_since: null,
      previous_secret_valid_until: null,
    });
    const { id, secret } = created.body;
    expect(id).toMatch(/^whk_/);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body.secret_hint).toBe(secret.slice(-4));

    const list = await call("GET", base, { token: owner.token });
    const got = await call("GET", `${base}/${id}`, { token: owner.token });
    for (const body of [list.body.data[0], got.body]) {
      expect(body).toMatchObject({ id, secret_hint: secret.slice(-4) });
      expect(body).not.toHaveProperty("secret");
      expect(JSON.stringify(body)).not.toContain(secret.slice(6, 30));
    }
    const stored = await env.DB.prepare("select secret_enc from webhook_endpoints where id = ?").bind(id).first<string>("secret_enc");
    expect(stored).toMatch(/^env1\./);
  });

  it("takes every event type when none are given, edits, disables by hand and deletes", async () => {
    const { owner, site } = await tenant("whedit");
    const base = `/api/sites/${site.id}/webhooks`;
    const { body } = await call("POST", base, { token: owner.token, body: { url: URL_OK } });
    expect(body.event_types).toBeNull();
    const path = `${base}/${body.id}`;
    const edited = await call("PATCH", path, { token: owner.token, body: { url: "https://other.example.com/x", event_types: ["subscriber.created"], enabled: false } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ url: "https://other.example.com/x", event_types: ["subscriber.created"], enabled: false, disabled_reason: null });
    expect(edited.body.disabled_at).toEqual(expect.any(Number));
    expect((await call("PATCH", path, { token: owner.token, body: { event_types: null, enabled: true } })).body).toMatchObject({ event_types: null, enabled: true, disabled_at: null });
    expect((await call("DELETE", path, { token: owner.token })).status).toBe(204);
    expect((await call("GET", path, { token: owner.token })).status).toBe(404);
    expect((await call("DELETE", path, { token: owner.token })).status).toBe(404);
  });

  it("names the failing field of a bad request", async () => {
    const { owner, site } = await tenant("whvalid");
    const base = `/api/sites/${site.id}/webhooks`;
    for (const [body, path] of [
      [{ url: "not a url" }, "url"],
      [{ url: "ftp://hooks.example.com/" }, "url"],
      [{ url: URL_OK, event_types: ["message.exploded"] }, "event_types.0"],
      [{ url: URL_OK, event_types: [] }, "event_types"],
      [{ url: URL_OK, description: "x".repeat(201) }, "description"],
      [{ url: URL_OK, secret: "whsec_mine" }, "secret"],
      [{}, "url"],
    ] as const) {
      const res = await call("POST", base, { token: owner.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
      expect(res.body.error.fields[0].path, JSON.stringify(body)).toBe(path);
    }
    const bad = await call("GET", `${base}/whk_x/deliveries?status=lost`, { token: owner.token });
    expect(bad.body.error.fields[0].path).toBe("status");
  });

  it(`allows ${WEBHOOK_ENDPOINTS_PER_SITE_MAX} endpoints per site`, async () => {
    const { owner, site } = await tenant("whlimit");
    for (let i = 0; i < WEBHOOK_ENDPOINTS_PER_SITE_MAX; i++) {
      expect((await call("POST", `/api/sites/${site.id}/webhooks`, { token: owner.token, body: { url: `${URL_OK}/${i}` } })).status).toBe(201);
    }
    const over = await call("POST", `/api/sites/${site.id}/webhooks`, { token: owner.token, body: { url: URL_OK } });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: "webhook_limit_reached", message: `A site can have at most ${WEBHOOK_ENDPOINTS_PER_SITE_MAX} webhook endpoints; delete one first.` });
  });

  it("lets members read endpoints but only admins and webhooks:write keys change them", async () => {
    const { owner, site } = await tenant("whroles");
    const base = `/api/sites/${site.id}/webhooks`;
    const { body } = await call("POST", base, { token: owner.token, body: { url: URL_OK } });
    const member = await registerUser("whmember");
    await env.DB.prepare("insert into site_members (site_id, user_id, role, created_at) values (?, ?, 'member', 0)").bind(site.id, member.user.id).run();
    expect((await call("GET", base, { token: member.token })).status).toBe(200);
    expect((await call("GET", `${base}/${body.id}/deliveries`, { token: member.token })).status).toBe(200);
    for (const [method, path] of [["POST", base], ["PATCH", `${base}/${body.id}`], ["DELETE", `${base}/${body.id}`], ["POST", `${base}/${body.id}/rotate-secret`], ["POST", `${base}/${body.id}/test`]] as const) {
      expect((await call(method, path, { token: member.token, body: method === "DELETE" ? undefined : method === "POST" && path === base ? { url: URL_OK } : {} })).status, `${method} ${path}`).toBe(403);
    }
    const readKey = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "r", scopes: ["webhooks:read"] } });
    expect((await call("GET", base, { token: readKey.body.key })).status).toBe(200);
    expect((await call("POST", base, { token: readKey.body.key, body: { url: URL_OK } })).body.error.code).toBe("insufficient_scope");
    const writeKey = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "w", scopes: ["webhooks:write"] } });
    expect((await call("POST", base, { token: writeKey.body.key, body: { url: URL_OK } })).status).toBe(201);
  });

  it("answers 404 for another tenant's endpoint and delivery ids, and leaves them alone", async () => {
    const a = await tenant("wha");
    const b = await tenant("whb");
    const endpoint = (await call("POST", `/api/sites/${a.site.id}/webhooks`, { token: a.owner.token, body: { url: URL_OK } })).body;
    const own = (await call("POST", `/api/sites/${b.site.id}/webhooks`, { token: b.owner.token, body: { url: URL_OK } })).body;
    await env.DB.prepare(
      "insert into webhook_deliveries (id, site_id, endpoint_id, event_id, event_type, kind, attempt, status, created_at) values ('whd_a', ?, ?, 'whe_a', 'message.sent', 'scheduled', 1, 'failed', 0)",
    )
      .bind(a.site.id, endpoint.id)
      .run();
    const tries: Array<[string, string, unknown?]> = [
      ["GET", `/api/sites/${b.site.id}/webhooks/${endpoint.id}`],
      ["PATCH", `/api/sites/${b.site.id}/webhooks/${endpoint.id}`, { enabled: false }],
      ["DELETE", `/api/sites/${b.site.id}/webhooks/${endpoint.id}`],
      ["POST", `/api/sites/${b.site.id}/webhooks/${endpoint.id}/rotate-secret`, {}],
      ["POST", `/api/sites/${b.site.id}/webhooks/${endpoint.id}/test`, {}],
      ["GET", `/api/sites/${b.site.id}/webhooks/${endpoint.id}/deliveries`],
      ["POST", `/api/sites/${b.site.id}/webhooks/${endpoint.id}/deliveries/whd_a/replay`, {}],
      // Its delivery id under the tenant's own endpoint.
      ["POST", `/api/sites/${b.site.id}/webhooks/${own.id}/deliveries/whd_a/replay`, {}],
      ["GET", `/api/sites/${a.site.id}/webhooks`],
    ];
    for (const [method, path, body] of tries) {
      const res = await call(method, path, { token: b.owner.token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const still = await call("GET", `/api/sites/${a.site.id}/webhooks/${endpoint.id}`, { token: a.owner.token });
    expect(still.body).toMatchObject({ enabled: true, secret_hint: endpoint.secret_hint, previous_secret_valid_until: null });
  });

  it("documents every event type's payload under the OpenAPI webhooks", async () => {
    const spec = (await call("GET", "/openapi.json")).body;
    for (const type of [...WEBHOOK_EVENT_TYPES, "webhook.test"]) {
      const op = spec.webhooks?.[type]?.post;
      expect(op, type).toBeDefined();
      expect(JSON.stringify(op.requestBody)).toContain(type);
    }
    expect(spec.paths["/api/sites/{siteId}/webhooks/{webhookId}/deliveries/{deliveryId}/replay"]).toBeDefined();
  });
});
