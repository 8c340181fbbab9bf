// Segments (issue #10 §1): each operator compiled and matched against real subscribers, nested
// groups, limits refused with the field, estimates saved and unsaved, a segment target through the
// real send path (fixed when the send starts), and another site's segment refused.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { identityHash } from "../../workers/lib/identity";
import { installFakePush } from "../fixtures/fake-push";
import { call, freshIp, tenant } from "../helpers";
import { waitFor } from "../messages/helpers";

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

type Site = { id: string; site_key: string; identity_secret: string };
async function subscriber(site: Site, o: { tags?: string[]; timezone?: string; language?: string; externalId?: string; ua?: string }) {
  const sub = await push.subscription([201]);
  const identity = o.externalId ? { external_id: o.externalId, external_id_hash: await identityHash(site.identity_secret, o.externalId) } : {};
  const r = await call("POST", "/api/subscribe", {
    body: { site_key: site.site_key, subscription: { endpoint: sub.endpoint, keys: sub.keys }, tags: o.tags, timezone: o.timezone, language: o.language, ...identity },
    headers: { "CF-Connecting-IP": freshIp(), ...(o.ua ? { "User-Agent": o.ua } : {}) },
  });
  expect(r.status).toBe(201);
  return { id: r.body.subscriber_id as string, endpoint: sub.endpoint };
}

async function setup(label: string) {
  push = installFakePush();
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  const count = async (rules: unknown) => {
    const r = await api("POST", "/segments/estimate", { rules });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.count as number;
  };
  return { ...t, api, count };
}

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";

describe("segments", () => {
  it("matches each kind of condition, nested and/or groups included", async () => {
    const { site, api, count } = await setup("seg-ops");
    await subscriber(site, { tags: ["vip", "fr"], timezone: "Europe/Paris", language: "fr", externalId: "ada" });
    const bob = await subscriber(site, { tags: ["fr"], timezone: "America/New_York", language: "en", externalId: "bob", ua: FIREFOX });
    const cy = await subscriber(site, { tags: [], language: "de" });
    await api("PATCH", "/users/ada", { email: "ada@example.com", attributes: { plan: "pro", orders: 12 } });
    await api("PATCH", "/users/bob", { attributes: { plan: "free", orders: 2 } });
    const and = (...rules: unknown[]) => ({ op: "and", rules });
    const or = (...rules: unknown[]) => ({ op: "or", rules });
    expect(await count(and({ field: "tag", operator: "has", value: "vip" }))).toBe(1);
    expect(await count(and({ field: "tag", operator: "has_not", value: "vip" }))).toBe(2);
    expect(await count(and({ field: "attribute", key: "plan", operator: "equals", value: "pro" }))).toBe(1);
    expect(await count(and({ field: "attribute", key: "plan", operator: "not_equals", value: "pro" }))).toBe(2); // bob, and cy who has no user
    expect(await count(and({ field: "attribute", key: "orders", operator: "greater_than", value: 5 }))).toBe(1);
    expect(await count(and({ field: "attribute", key: "orders", operator: "less_than", value: 5 }))).toBe(1);
    expect(await count(and({ field: "attribute", key: "plan", operator: "contains", value: "RE" }))).toBe(1); // "free"
    expect(await count(and({ field: "attribute", key: "plan", operator: "exists" }))).toBe(2);
    expect(await count(and({ field: "attribute", key: "plan", operator: "not_exists" }))).toBe(1);
    expect(await count(and({ field: "timezone", operator: "is", value: ["Europe/Paris", "Europe/Berlin"] }))).toBe(1);
    expect(await count(and({ field: "language", operator: "is_not", value: "fr" }))).toBe(2);
    expect(await count(and({ field: "browser", operator: "is", value: "Firefox" }))).toBe(1);
    expect(await count(and({ field: "subscribed", operator: "within_days", value: 1 }))).toBe(3);
    expect(await count(and({ field: "subscribed", operator: "before", value: Date.now() - 86_400_000 }))).toBe(0);
    expect(await count(and({ field: "last_seen", operator: "more_than_days_ago", value: 30 }))).toBe(0);
    expect(await count(and({ field: "has_channel", operator: "has", value: "email" }))).toBe(1);
    expect(await count(and({ field: "has_channel", operator: "has", value: "in_app" }))).toBe(2);
    expect(await count(and({ field: "has_channel", operator: "has_not", value: "fcm" }))).toBe(3);
    // Engagement and what they received.
    const ntf = (await api("POST", "/notifications", { title: "Earlier", target: { all: true } })).body.id as string;
    await env.DB.prepare("insert into events (id, site_id, notification_id, subscriber_id, type, created_at) values ('evt_x', ?, ?, ?, 'click', ?)").bind(site.id, ntf, bob.id, Date.now()).run();
    await env.DB.prepare("insert into deliveries (site_id, notification_id, channel, subscriber_id, status, created_at) values (?, ?, 'web_push', ?, 'sent', ?)").bind(site.id, ntf, cy.id, Date.now()).run();
    expect(await count(and({ field: "engaged", operator: "clicked", days: 7 }))).toBe(1);
    expect(await count(and({ field: "engaged", operator: "not_clicked", days: 7 }))).toBe(2);
    expect(await count(and({ field: "received", operator: "received", notification_id: ntf }))).toBe(1);
    // Nested: (vip or language de) and not Firefox.
    expect(await count(and(or({ field: "tag", operator: "has", value: "vip" }, { field: "language", operator: "is", value: "de" }), { field: "browser", operator: "is_not", value: "Firefox" }))).toBe(2);

  });

  it("refuses empty groups, too deep or too many rules, and bad conditions, with the field", async () => {
    const { api } = await setup("seg-limits");
    const leaf = { field: "tag", operator: "has", value: "x" };
    const deep = { op: "and", rules: [{ op: "or", rules: [{ op: "and", rules: [{ op: "or", rules: [{ op: "and", rules: [leaf] }] }] }] }] };
    const bad: Array<[unknown, string]> = [
      [{ op: "and", rules: [] }, "rules.rules"],
      [{ op: "and", rules: [leaf, { op: "or", rules: [] }] }, "rules.rules.1.rules"],
      [deep, "rules"],
      [{ op: "and", rules: Array.from({ length: 21 }, () => leaf) }, "rules"],
      [{ op: "and", rules: [{ field: "attribute", key: "a b", operator: "equals", value: 1 }] }, "rules.rules.0.key"],
      [{ op: "and", rules: [{ field: "attribute", key: "n", operator: "greater_than", value: "x" }] }, "rules.rules.0.value"],
      [{ op: "and", rules: [{ field: "planet", operator: "is", value: "mars" }] }, "rules.rules.0"],
    ];
    for (const [rules, path] of bad) {
      const r = await api("POST", "/segments", { name: "Bad", rules });
      expect(r.status, JSON.stringify(rules)).toBe(400);
      expect(r.body.error.fields.map((f: { path: string }) => f.path).some((p: string) => p.startsWith(path)), JSON.stringify(r.body.error.fields)).toBe(true);
    }
  });

  it("targets a segment through the real send path, fixed when the send starts; other sites' segments are refused", async () => {
    const { site, api } = await setup("seg-send");
    const vip = await subscriber(site, { tags: ["vip"] });
    await subscriber(site, { tags: [] });
    const s = await api("POST", "/segments", { name: "VIPs", rules: { op: "and", rules: [{ field: "tag", operator: "has", value: "vip" }] } });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect(s.body).toMatchObject({ estimated_count: 1 });
    const n = await api("POST", "/notifications", { title: "For VIPs", target: { segment_id: s.body.id } });
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    expect((await api("POST", "/audience/count", { target: { segment_id: s.body.id } })).body).toMatchObject({ count: 1 });
    await api("POST", `/notifications/${n.body.id}/send`);
    const done = await waitFor(() => api("GET", `/notifications/${n.body.id}`), (r) => r.body.status === "completed");
    expect(done.body.stats).toMatchObject({ sent: 1 });
    expect(push.received.map((r) => r.endpoint)).toEqual([vip.endpoint]);
    // The send keeps the rules it started with, whatever happens to the segment.
    expect(done.body.target).toMatchObject({ segment_id: s.body.id, rules: { op: "and" }, as_of: expect.any(Number) });
    await api("PATCH", `/segments/${s.body.id}`, { rules: { op: "and", rules: [{ field: "tag", operator: "has", value: "nobody" }] } });
    expect((await api("POST", `/segments/${s.body.id}/estimate`)).body.count).toBe(0);
    expect((await api("GET", `/segments/${s.body.id}`)).body.estimated_count).toBe(0);
    // Messages can target it for web push; user channels cannot.
    const m = await api("POST", "/messages", { to: { segment_id: s.body.id }, content: { web_push: { title: "M" } } });
    expect(m.status, JSON.stringify(m.body)).toBe(202);
    const inApp = await api("POST", "/messages", { to: { segment_id: s.body.id }, content: { in_app: { title: "M" } } });
    expect(inApp.status).toBe(400);

    const other = await tenant("seg-send-other");
    const foreign = await call("POST", `/api/sites/${other.site.id}/notifications`, { token: other.owner.token, body: { title: "x", target: { segment_id: s.body.id } } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields[0].path).toBe("target.segment_id");
    for (const [method, path] of [["GET", ""], ["PATCH", ""], ["DELETE", ""], ["POST", "/estimate"]] as const) {
      const r = await call(method, `/api/sites/${other.site.id}/segments/${s.body.id}${path}`, { token: other.owner.token, body: method === "PATCH" ? { name: "x" } : undefined });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
  });
});
