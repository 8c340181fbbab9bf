// The send path inside workerd: HTTP → D1 → Queue → consumer → (fake) push service → stats.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, tenant } from "../helpers";
import { installFakePush } from "../fixtures/fake-push";

let push: ReturnType<typeof installFakePush>;
beforeEach(() => {
  push = installFakePush();
});
afterEach(() => push.restore());

async function subscribers(siteKey: string, scripts: number[][], tags: string[] = []) {
  const ids: string[] = [];
  for (const script of scripts) {
    const sub = await push.subscription(script);
    const r = await call("POST", "/api/subscribe", { body: { site_key: siteKey, subscription: { endpoint: sub.endpoint, keys: sub.keys }, tags } });
    ids.push(r.body.subscriber_id);
  }
  return ids;
}

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const create = (token: string, siteId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call("POST", `/api/sites/${siteId}/notifications`, { token, body: { title: "Hello", body: "World", target: { all: true }, ...body }, headers });

describe("sending", () => {
  it("delivers to every subscriber exactly once with a decryptable payload, then completes with right stats", async () => {
    const { owner, site } = await tenant("send");
    await subscribers(site.site_key, [[201], [201], [201], [201]]);
    const n = await create(owner.token, site.id, {
      url: "https://acme.example.com/sale",
      utm: { source: "herald", campaign: "summer" },
      actions: [{ action: "buy", title: "Buy", url: "https://acme.example.com/buy" }],
      ttl: 0,
      urgency: "high",
      topic: "sale",
    });
    expect(n.status).toBe(201);
    expect(n.body.status).toBe("draft");
    const sent = await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/send`, { token: owner.token });
    expect(sent.status).toBe(202);
    const done = await waitFor(
      () => call("GET", `/api/sites/${site.id}/notifications/${n.body.id}`, { token: owner.token }),
      (r) => r.body.status === "completed",
    );
    expect(done.body.status).toBe("completed");
    expect(done.body.stats).toMatchObject({ targeted: 4, sent: 4, failed: 0, pruned: 0 });
    expect(push.received).toHaveLength(4);
    expect(new Set(push.received.map((r) => r.endpoint)).size).toBe(4);
    const msg = push.received[0]!;
    expect(msg.payload).toMatchObject({ title: "Hello", body: "World", id: n.body.id });
    expect(msg.payload.url).toBe("https://acme.example.com/sale?utm_source=herald&utm_campaign=summer");
    expect(msg.payload.actions[0].url).toContain("utm_campaign=summer");
    expect(msg.headers.get("TTL")).toBe("0");
    expect(msg.headers.get("Urgency")).toBe("high");
    expect(msg.headers.get("Topic")).toBe("sale");
    expect(msg.headers.get("Authorization")).toMatch(/^vapid t=.+, k=/);

    // The token in the payload reports engagement, each type once per delivery.
    for (let i = 0; i < 2; i++) expect((await call("POST", "/api/events", { body: { token: msg.payload.token, type: "click", action: "buy" } })).status).toBe(204);
    await call("POST", "/api/events", { body: { token: msg.payload.token, type: "impression" } });
    const stats = await call("GET", `/api/sites/${site.id}/notifications/${n.body.id}/stats`, { token: owner.token });
    expect(stats.body).toMatchObject({ clicks: 1, impressions: 1, dismissals: 0, ctr: 0.25 });
  });

  it("rejects forged event tokens", async () => {
    const r = await call("POST", "/api/events", { body: { token: "c2l0ZV94Lm50Zl94LnN1Yl94.AAAAAAAAAAAAAAAAAAAAAA", type: "click" } });
    expect(r.status).toBe(401);
    expect(r.body.error.fields[0].path).toBe("token");
  });

  it("prunes only the subscribers whose push service answers 410, and retries 429/503 until they succeed", async () => {
    const { owner, site } = await tenant("prune");
    const ids = await subscribers(site.site_key, [[201], [410], [429, 201], [503, 201], [404]]);
    const n = await create(owner.token, site.id, {});
    await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/send`, { token: owner.token });
    const done = await waitFor(
      () => call("GET", `/api/sites/${site.id}/notifications/${n.body.id}`, { token: owner.token }),
      (r) => r.body.status === "completed",
      30_000,
    );
    expect(done.body.stats).toMatchObject({ targeted: 5, sent: 3, pruned: 2, failed: 0 });
    expect(push.received).toHaveLength(3);
    const active = await call("GET", `/api/sites/${site.id}/subscribers?active=true`, { token: owner.token });
    expect(active.body.data.map((s: { id: string }) => s.id).sort()).toEqual([ids[0], ids[2], ids[3]].sort());
  });

  it("marks permanent failures and warns about the VAPID configuration on 403, keeping the subscriber", async () => {
    const { owner, site } = await tenant("vapid");
    await subscribers(site.site_key, [[403], [413]]);
    const n = await create(owner.token, site.id, {});
    await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/send`, { token: owner.token });
    const done = await waitFor(
      () => call("GET", `/api/sites/${site.id}/notifications/${n.body.id}`, { token: owner.token }),
      (r) => r.body.status === "completed",
    );
    expect(done.body.stats).toMatchObject({ sent: 0, failed: 2, failed_by_reason: { vapid_rejected: 1, payload_too_large: 1 } });
    const s = await call("GET", `/api/sites/${site.id}`, { token: owner.token });
    expect(s.body.vapid_warning).toMatch(/VAPID/);
    const active = await call("GET", `/api/sites/${site.id}/subscribers?active=true`, { token: owner.token });
    expect(active.body.data).toHaveLength(2);
  });

  it("targets by tags (any / all / none) and counts the audience live", async () => {
    const { owner, site } = await tenant("tags");
    await subscribers(site.site_key, [[201]], ["news", "vip"]);
    await subscribers(site.site_key, [[201]], ["news"]);
    await subscribers(site.site_key, [[201]], ["sports"]);
    const count = async (target: unknown) => (await call("POST", `/api/sites/${site.id}/audience/count`, { token: owner.token, body: { target } })).body.count;
    expect(await count({ all: true })).toBe(3);
    expect(await count({ tags: { any: ["news"] } })).toBe(2);
    expect(await count({ tags: { all: ["news", "vip"] } })).toBe(1);
    expect(await count({ tags: { any: ["news"], none: ["vip"] } })).toBe(1);
    const n = await create(owner.token, site.id, { target: { tags: { all: ["news", "vip"] } } });
    await call("POST", `/api/sites/${site.id}/notifications/${n.body.id}/send`, { token: owner.token });
    const done = await waitFor(() => call("GET", `/api/sites/${site.id}/notifications/${n.body.id}`, { token: owner.token }), (r) => r.body.status === "completed");
    expect(done.body.stats.sent).toBe(1);
    expect(push.received).toHaveLength(1);
  });

  it("rejects at create time a notification whose encrypted payload would exceed 4096 bytes", async () => {
    const { owner, site } = await tenant("big");
    const r = await create(owner.token, site.id, { body: "x".repeat(1000), data: { blob: "y".repeat(3000) } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("push_payload_too_large");
    expect(r.body.error.message).toMatch(/4096/);
    expect(await env.DB.prepare("select count(*) n from notifications where site_id = ?").bind(site.id).first("n")).toBe(0);
  });

  it("sends once however often the send is retried, and replays the first response for an Idempotency-Key", async () => {
    const { owner, site } = await tenant("idem");
    await subscribers(site.site_key, [[201], [201]]);
    const headers = { "Idempotency-Key": "create-1" };
    const a = await create(owner.token, site.id, {}, headers);
    const b = await create(owner.token, site.id, {}, headers);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers.get("Idempotent-Replayed")).toBe("true");
    const conflict = await create(owner.token, site.id, { title: "Other" }, headers);
    expect(conflict.status).toBe(422);
    expect(conflict.body.error.code).toBe("idempotency_conflict");

    const sendPath = `/api/sites/${site.id}/notifications/${a.body.id}/send`;
    const s1 = await call("POST", sendPath, { token: owner.token, headers: { "Idempotency-Key": "send-1" } });
    const s2 = await call("POST", sendPath, { token: owner.token, headers: { "Idempotency-Key": "send-1" } });
    expect(s1.status).toBe(202);
    expect(s2.status).toBe(202);
    const s3 = await call("POST", sendPath, { token: owner.token });
    expect(s3.status).toBe(409);
    expect(s3.body.error.code).toBe("invalid_state");
    await waitFor(() => call("GET", `/api/sites/${site.id}/notifications/${a.body.id}`, { token: owner.token }), (r) => r.body.status === "completed");
    expect(push.received).toHaveLength(2);
  });
});
