// Generated from /openapi.json: every site-scoped route is called with another
// tenant's credentials and ids and must answer 404 — exactly like an id that does
// not exist. A route added later without a tenant check fails here automatically;
// a route with a new path parameter fails until a fixture for it is added below.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { PUSH_ORIGIN } from "../fixtures/fake-push";
import { browserSubscription } from "../channels/webpush/helpers";
import { call, tenant } from "../helpers";

type Schema = Record<string, any>;
let spec: Schema;

function resolve(schema: Schema | undefined): Schema {
  if (schema?.$ref) return resolve(spec.components.schemas[schema.$ref.split("/").pop()]);
  return schema ?? {};
}

/** A valid-looking request body built from the schema's examples, so validation passes and the tenant check decides. */
function example(schemaIn: Schema | undefined): unknown {
  const schema = resolve(schemaIn);
  if (schema.example !== undefined) return schema.example;
  if (schema.anyOf || schema.oneOf) return example((schema.anyOf ?? schema.oneOf)[0]);
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  switch (Array.isArray(schema.type) ? schema.type[0] : schema.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = example(schema.properties[key]);
      return out;
    }
    case "array":
      return schema.minItems ? [example(schema.items)] : [];
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    case "string":
      if (schema.format === "email") return "someone@example.com";
      if (schema.format === "uri") return "https://example.com/";
      return "x".repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return {};
  }
}

interface Fixture {
  siteId: string;
  ids: Record<string, string>;
  token: string;
  apiKey: string;
}

async function makeTenant(label: string): Promise<Fixture> {
  const { owner, site } = await tenant(label);
  const key = await call("POST", `/api/sites/${site.id}/api-keys`, {
    token: owner.token,
    body: { name: "all", scopes: ["send", "notifications:read", "notifications:write", "subscribers:read", "subscribers:write", "users:read", "users:write", "templates:read", "templates:write", "analytics:read"] },
  });
  const sub = await browserSubscription(`${PUSH_ORIGIN}/push/${crypto.randomUUID()}`);
  const subscriber = await call("POST", "/api/subscribe", { body: { site_key: site.site_key, subscription: { endpoint: sub.endpoint, keys: sub.keys } } });
  const notification = await call("POST", `/api/sites/${site.id}/notifications`, {
    token: owner.token,
    body: { title: "Mine", target: { all: true }, scheduled_at: Date.now() + 3600_000 },
  });
  const invitation = await call("POST", `/api/sites/${site.id}/invitations`, {
    token: owner.token,
    body: { email: `invitee-${crypto.randomUUID().slice(0, 8)}@example.com`, role: "member" },
  });
  const externalId = `user-${crypto.randomUUID().slice(0, 8)}`;
  await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: externalId } });
  const device = await call("POST", `/api/sites/${site.id}/users/${externalId}/devices`, {
    token: owner.token,
    body: { type: "fcm", token: `fcm:${crypto.randomUUID()}${crypto.randomUUID()}`, platform: "android" },
  });
  // A key of its own per tenant: the "other tenant's ids under its own site" case must not find its own.
  const templateKey = `tpl-${crypto.randomUUID().slice(0, 8)}`;
  await call("POST", `/api/sites/${site.id}/templates`, { token: owner.token, body: { key: templateKey, name: "Mine", locales: { en: { sms: { text: "Hi" } } } } });
  await call("POST", `/api/sites/${site.id}/templates/${templateKey}/publish`, { token: owner.token, body: {} });
  const integration = await call("POST", `/api/sites/${site.id}/integrations`, {
    token: owner.token,
    body: {
      channel: "email",
      provider: "sendgrid",
      name: "Mine",
      credentials: { api_key: "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" },
      settings: { from_email: "news@acme.example.com" },
    },
  });
  const webhook = await call("POST", `/api/sites/${site.id}/webhooks`, { token: owner.token, body: { url: "https://hooks.example.com/herald" } });
  // A logged attempt to replay (sending a real one would need the outside world).
  const deliveryId = `whd_${crypto.randomUUID().replaceAll("-", "")}`;
  await env.DB.prepare(
    "insert into webhook_deliveries (id, site_id, endpoint_id, event_id, event_type, kind, attempt, status, created_at) values (?, ?, ?, 'whe_x', 'message.sent', 'scheduled', 1, 'failed', 0)",
  )
    .bind(deliveryId, site.id, webhook.body.id)
    .run();
  const message = await call("POST", `/api/sites/${site.id}/messages`, { token: owner.token, body: { to: { external_ids: [externalId] }, content: { web_push: { title: "Mine" } } } });
  const categoryKey = `cat-${crypto.randomUUID().slice(0, 8)}`;
  await call("POST", `/api/sites/${site.id}/categories`, { token: owner.token, body: { key: categoryKey, name: "Mine" } });
  const mine = (path: string, body: unknown) => call("POST", `/api/sites/${site.id}${path}`, { token: owner.token, body });
  const series = await mine("/recurring", { name: "Mine", recurrence: { frequency: "daily", time: "09:00", start_date: "2030-01-01" }, notification: { title: "Mine", target: { all: true } } });
  const drip = await mine("/campaigns", { name: "Mine", steps: [{ delay_minutes: 0, content: { title: "Mine" } }] });
  const trigger = await mine("/triggers", { name: "Mine", mode: "token_only", mapping: { content: { web_push: { title: "Mine" } }, target: { all: true } } });
  const feed = await mine("/feeds", { name: "Mine", url: "https://blog.example.com/mine.xml" });
  const segment = await mine("/segments", { name: "Mine", rules: { op: "and", rules: [{ field: "tag", operator: "has", value: "mine" }] } });
  const ids: Record<string, string> = {
    seriesId: series.body.id,
    campaignId: drip.body.id,
    segmentId: segment.body.id,
    triggerId: trigger.body.id,
    feedId: feed.body.id,
    itemKey: "0123456789abcdef0123456789abcdef",
    token: "not-a-token-of-anyone",
    messageId: message.body.id,
    // The inbox item of that message (an item's id is its notification's), and an item action.
    itemId: message.body.id,
    action: "read",
    categoryKey,
    webhookId: webhook.body.id,
    deliveryId,
    integrationId: integration.body.id,
    templateKey,
    version: "1",
    externalId,
    deviceId: device.body.id,
    invitationId: invitation.body.id,
    userId: owner.user.id,
    keyId: key.body.id,
    subscriberId: subscriber.body.subscriber_id,
    notificationId: notification.body.id,
  };
  return { siteId: site.id, ids, token: owner.token, apiKey: key.body.key };
}

const routes: Array<{ method: string; path: string; op: Schema }> = [];
let a: Fixture;
let b: Fixture;

beforeAll(async () => {
  spec = (await call("GET", "/openapi.json")).body;
  for (const [path, item] of Object.entries<Schema>(spec.paths)) {
    if (!path.includes("{siteId}")) continue;
    for (const [method, op] of Object.entries<Schema>(item)) routes.push({ method: method.toUpperCase(), path, op });
  }
  a = await makeTenant("tenant-a");
  b = await makeTenant("tenant-b");
});

function fill(path: string, siteId: string, ids: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === "siteId") return siteId;
    const id = ids[name];
    if (!id) throw new Error(`No cross-tenant fixture for path parameter {${name}}: add one in makeTenant()`);
    return id;
  });
}

const bodyFor = (op: Schema) => {
  const schema = op.requestBody?.content?.["application/json"]?.schema;
  return schema ? example(schema) : undefined;
};

describe("cross-tenant matrix (from /openapi.json)", () => {
  it("covers the site-scoped routes", () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
  });

  it("answers 404 to another tenant's user on every site-scoped route", async () => {
    for (const r of routes) {
      const res = await call(r.method, fill(r.path, a.siteId, a.ids), { token: b.token, body: bodyFor(r.op) });
      expect(res.status, `${r.method} ${r.path}: ${JSON.stringify(res.body)}`).toBe(404);
    }
  });

  it("answers 404 to another tenant's API key on every site-scoped route", async () => {
    for (const r of routes) {
      const res = await call(r.method, fill(r.path, a.siteId, a.ids), { token: b.apiKey, body: bodyFor(r.op) });
      expect(res.status, `${r.method} ${r.path}: ${JSON.stringify(res.body)}`).toBe(404);
    }
  });

  it("answers 404 when a tenant names another tenant's resource ids under its own site", async () => {
    for (const r of routes.filter((r) => /\{(?!siteId)\w+\}/.test(r.path))) {
      const res = await call(r.method, fill(r.path, b.siteId, a.ids), { token: b.token, body: bodyFor(r.op) });
      expect(res.status, `${r.method} ${r.path}: ${JSON.stringify(res.body)}`).toBe(404);
    }
  });

  it("left the other tenant's data untouched", async () => {
    const site = await call("GET", `/api/sites/${a.siteId}`, { token: a.token });
    expect(site.status).toBe(200);
    const keys = await call("GET", `/api/sites/${a.siteId}/api-keys`, { token: a.token });
    expect(keys.body.data[0].revoked_at).toBeNull();
    const members = await call("GET", `/api/sites/${a.siteId}/members`, { token: a.token });
    expect(members.body.data).toHaveLength(1);
    const subscriber = await call("GET", `/api/sites/${a.siteId}/subscribers/${a.ids.subscriberId}`, { token: a.token });
    expect(subscriber.body.active).toBe(true);
    const integration = await call("GET", `/api/sites/${a.siteId}/integrations/${a.ids.integrationId}`, { token: a.token });
    expect(integration.body).toMatchObject({ name: "Mine", primary: true, last_test: null, credentials_hint: "••••s5cr" });
    const notification = await call("GET", `/api/sites/${a.siteId}/notifications/${a.ids.notificationId}`, { token: a.token });
    expect(notification.body).toMatchObject({ status: "scheduled", title: "Mine" });
    const template = await call("GET", `/api/sites/${a.siteId}/templates/${a.ids.templateKey}`, { token: a.token });
    expect(template.body).toMatchObject({ name: "Mine", current_version: 1 });
  });
});
