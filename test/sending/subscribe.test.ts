import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { signEventToken } from "../../workers/lib/event-token";
import { identityHash } from "../../workers/lib/identity";
import { call, freshIp, tenant } from "../helpers";
import { installFakePush } from "../fixtures/fake-push";

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

async function subscribeBody(siteKey: string, extra: Record<string, unknown> = {}) {
  push ??= installFakePush();
  const sub = await push.subscription();
  return { sub, body: { site_key: siteKey, subscription: { endpoint: sub.endpoint, keys: sub.keys }, ...extra } };
}

const chromeUa = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

describe("public subscribe API", () => {
  it("creates a subscriber (201), refreshes it on the same endpoint (200) and exposes it in the API", async () => {
    push = installFakePush();
    const { owner, site } = await tenant("subs");
    const { body } = await subscribeBody(site.site_key, { tags: ["news"], timezone: "Europe/Paris", language: "fr-FR" });
    const first = await call("POST", "/api/subscribe", { body, headers: { "User-Agent": chromeUa, Origin: "https://acme.example.com" } });
    expect(first.status).toBe(201);
    expect(first.headers.get("Access-Control-Allow-Origin")).toBe("https://acme.example.com");
    const again = await call("POST", "/api/subscribe", { body: { ...body, tags: ["news", "vip"] } });
    expect(again.status).toBe(200);
    expect(again.body.subscriber_id).toBe(first.body.subscriber_id);

    const got = await call("GET", `/api/sites/${site.id}/subscribers/${first.body.subscriber_id}`, { token: owner.token });
    expect(got.body).toMatchObject({ tags: ["news", "vip"], browser: "Chrome", os: "macOS", timezone: "Europe/Paris", language: "fr-FR", active: true });
    const list = await call("GET", `/api/sites/${site.id}/subscribers?tag=vip`, { token: owner.token });
    expect(list.body.data).toHaveLength(1);
  });

  it("rejects endpoints that are not on a known push service, and malformed keys, naming the field", async () => {
    push = installFakePush();
    const { site } = await tenant("badsub");
    const { body } = await subscribeBody(site.site_key);
    const evil = await call("POST", "/api/subscribe", { body: { ...body, subscription: { ...body.subscription, endpoint: "https://evil.example.com/x" } } });
    expect(evil.status).toBe(400);
    expect(evil.body.error.fields[0].path).toBe("subscription.endpoint");
    const plainHttp = await call("POST", "/api/subscribe", { body: { ...body, subscription: { ...body.subscription, endpoint: "http://fcm.googleapis.com/fcm/send/x" } } });
    expect(plainHttp.status).toBe(400);
    const shortKey = await call("POST", "/api/subscribe", { body: { ...body, subscription: { ...body.subscription, keys: { ...body.subscription.keys, p256dh: "BAAA" } } } });
    expect(shortKey.body.error.fields[0].path).toBe("subscription.keys.p256dh");
    const offCurve = "B" + "A".repeat(86);
    const notPoint = await call("POST", "/api/subscribe", { body: { ...body, subscription: { ...body.subscription, keys: { ...body.subscription.keys, p256dh: offCurve } } } });
    expect(notPoint.body.error.fields[0].message).toMatch(/curve/);
    const shortAuth = await call("POST", "/api/subscribe", { body: { ...body, subscription: { ...body.subscription, keys: { ...body.subscription.keys, auth: "AAAA" } } } });
    expect(shortAuth.body.error.fields[0].path).toBe("subscription.keys.auth");
    expect(await env.DB.prepare("select count(*) n from subscribers where site_id = ?").bind(site.id).first("n")).toBe(0);
  });

  it("accepts real push services' endpoints", async () => {
    push = installFakePush();
    const { site } = await tenant("realsvc");
    const { body } = await subscribeBody(site.site_key);
    for (const endpoint of [
      "https://fcm.googleapis.com/fcm/send/abc:def",
      "https://updates.push.services.mozilla.com/wpush/v2/gAAA",
      "https://web.push.apple.com/QGx",
      "https://wns2-by3p.notify.windows.com/w/?token=x",
    ]) {
      const r = await call("POST", "/api/subscribe", { body: { ...body, subscription: { ...body.subscription, endpoint } } });
      expect(r.status, endpoint).toBe(201);
    }
  });

  it("refuses origins the site does not allow", async () => {
    push = installFakePush();
    const { site } = await tenant("origin");
    const { body } = await subscribeBody(site.site_key);
    const r = await call("POST", "/api/subscribe", { body, headers: { Origin: "https://evil.example.net" } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("origin_not_allowed");
    expect(r.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const unknown = await call("POST", "/api/subscribe", { body: { ...body, site_key: "pk_nope" } });
    expect(unknown.status).toBe(404);
  });

  it("unsubscribes by endpoint and replaces an endpoint on pushsubscriptionchange", async () => {
    push = installFakePush();
    const { owner, site } = await tenant("unsub");
    const a = await subscribeBody(site.site_key);
    const created = await call("POST", "/api/subscribe", { body: a.body });
    const b = await subscribeBody(site.site_key, { old_endpoint: a.sub.endpoint });
    expect((await call("POST", "/api/subscribe", { body: b.body })).status).toBe(201);
    const old = await call("GET", `/api/sites/${site.id}/subscribers/${created.body.subscriber_id}`, { token: owner.token });
    expect(old.body).toMatchObject({ active: false, unsubscribe_reason: "replaced" });
    expect((await call("POST", "/api/unsubscribe", { body: { site_key: site.site_key, endpoint: b.sub.endpoint } })).status).toBe(204);
    const active = await call("GET", `/api/sites/${site.id}/subscribers?active=true`, { token: owner.token });
    expect(active.body.data).toHaveLength(0);
  });

  it("rate-limits subscribe per IP with 429 and Retry-After", async () => {
    push = installFakePush();
    const { site } = await tenant("subrate");
    const { body } = await subscribeBody(site.site_key);
    const ip = freshIp();
    // Capacity 30, refilling 30 a minute: the 31st request is refused unless the run is slow
    // enough for a token or two to drip back in, so allow a few more before calling it broken.
    let last;
    let sent = 0;
    while (sent < 36 && last?.status !== 429) {
      last = await call("POST", "/api/subscribe", { body, headers: { "CF-Connecting-IP": ip } });
      sent++;
    }
    expect(last!.status).toBe(429);
    expect(sent).toBeGreaterThan(30);
    expect(last!.headers.get("Retry-After")).toBeTruthy();
  });

  it("serves the SDK config for a site key", async () => {
    const { site } = await tenant("cfg");
    const r = await call("GET", `/api/sdk/config?site_key=${site.site_key}`, { headers: { Origin: "https://anywhere.example" } });
    expect(r.status).toBe(200);
    expect(r.body.vapid_public_key).toBe(site.vapid_public_key);
    expect(r.body.soft_prompt.enabled).toBe(false);
  });
});

describe("subscribers API", () => {
  it("exports everything about a subscriber and erases it completely", async () => {
    push = installFakePush();
    const { owner, site } = await tenant("gdpr");
    const { body } = await subscribeBody(site.site_key, { external_id: "user-42", external_id_hash: await identityHash(site.identity_secret, "user-42") });
    const { subscriber_id } = (await call("POST", "/api/subscribe", { body })).body;
    const patched = await call("PATCH", `/api/sites/${site.id}/subscribers/${subscriber_id}`, { token: owner.token, body: { tags: ["a", "a", "b"] } });
    expect(patched.body.tags).toEqual(["a", "b"]);
    const exp = await call("GET", `/api/sites/${site.id}/subscribers/${subscriber_id}/export`, { token: owner.token });
    expect(exp.status).toBe(200);
    expect(exp.body.subscriber).toMatchObject({ id: subscriber_id, external_id: "user-42" });
    expect(exp.headers.get("Content-Disposition")).toContain(subscriber_id);
    expect((await call("DELETE", `/api/sites/${site.id}/subscribers/${subscriber_id}`, { token: owner.token })).status).toBe(204);
    expect((await call("GET", `/api/sites/${site.id}/subscribers/${subscriber_id}`, { token: owner.token })).status).toBe(404);
  });

  it("refuses events for an erased subscriber instead of bringing rows back", async () => {
    push = installFakePush();
    const { owner, site } = await tenant("erased");
    const { body } = await subscribeBody(site.site_key);
    const { subscriber_id } = (await call("POST", "/api/subscribe", { body, headers: { "CF-Connecting-IP": freshIp() } })).body;
    const n = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "Hi", target: { all: true } } });
    const token = await signEventToken(env.JWT_SECRET, { siteId: site.id, notificationId: n.body.id, subscriberId: subscriber_id });
    expect((await call("POST", "/api/events", { body: { token, type: "impression" } })).status).toBe(204);

    expect((await call("DELETE", `/api/sites/${site.id}/subscribers/${subscriber_id}`, { token: owner.token })).status).toBe(204);
    const late = await call("POST", "/api/events", { body: { token, type: "click" } });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe("subscriber_gone");
    const rows = await env.DB.prepare("select count(*) n from events where subscriber_id = ?").bind(subscriber_id).first<number>("n");
    expect(rows).toBe(0);
  });

  it("paginates with a cursor", async () => {
    push = installFakePush();
    const { owner, site } = await tenant("pages");
    for (let i = 0; i < 5; i++) await call("POST", "/api/subscribe", { body: (await subscribeBody(site.site_key)).body });
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: any = await call("GET", `/api/sites/${site.id}/subscribers?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: owner.token });
      page.body.data.forEach((s: { id: string }) => seen.add(s.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen.size).toBe(5);
  });
});
