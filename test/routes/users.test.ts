// Users and devices (issue #8 §2): a site's own users by external id, their browsers (linked
// by a verified external id) and FCM tokens, GDPR erasure and export.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { identityHash } from "../../workers/lib/identity";
import { installFakePush } from "../fixtures/fake-push";
import { call, freshIp, registerUser, tenant } from "../helpers";

let push: ReturnType<typeof installFakePush> | undefined;
afterEach(() => push?.restore());
const FCM_TOKEN = "fcm:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8OvPVGJ-hQMRKRrZuJAEcl7B338qju59zJMjw2DELjzEvxwYv7hH5Ynpc1ODQ0aT4U4OFEeco8ohsN5PjL1iC2dNtk2BAokeMCg2ZXKqpc8FXKmhX94kIxQ";

async function subscribeBrowser(site: { site_key: string; identity_secret: string }, externalId?: string) {
  push ??= installFakePush();
  const sub = await push.subscription();
  const identity = externalId ? { external_id: externalId, external_id_hash: await identityHash(site.identity_secret, externalId) } : {};
  const r = await call("POST", "/api/subscribe", {
    body: { site_key: site.site_key, subscription: { endpoint: sub.endpoint, keys: sub.keys }, ...identity },
    headers: { "CF-Connecting-IP": freshIp(), "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36" },
  });
  expect(r.status).toBe(201);
  return r.body.subscriber_id as string;
}

describe("users", () => {
  it("creates a user, updates them on a repeated create, edits and clears fields", async () => {
    const { owner, site } = await tenant("users");
    const u = `/api/sites/${site.id}/users`;
    const created = await call("POST", u, { token: owner.token, body: { external_id: "auth0|42", email: "Ada@Example.com", phone: "+14155550123", locale: "fr-fr", timezone: "Europe/Paris", attributes: { plan: "pro" } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ external_id: "auth0|42", email: "ada@example.com", locale: "fr-FR", attributes: { plan: "pro" } });
    const again = await call("POST", u, { token: owner.token, body: { external_id: "auth0|42", locale: "de" } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ email: "ada@example.com", locale: "de" });

    const path = `${u}/${encodeURIComponent("auth0|42")}`;
    const patched = await call("PATCH", path, { token: owner.token, body: { phone: null, attributes: { plan: "team" } } });
    expect(patched.body).toMatchObject({ phone: null, attributes: { plan: "team" } });
    expect((await call("GET", path, { token: owner.token })).body.email).toBe("ada@example.com");
    expect((await call("GET", `${u}?email=ADA@example.com`, { token: owner.token })).body.data).toHaveLength(1);
    // Prefix search on the external id (exact case) or the e-mail (any case).
    await call("POST", u, { token: owner.token, body: { external_id: "auth0|7", email: "bob@example.com" } });
    const ids = async (q: string) => (await call("GET", `${u}?q=${encodeURIComponent(q)}`, { token: owner.token })).body.data.map((x: { external_id: string }) => x.external_id).sort();
    expect(await ids("auth0|")).toEqual(["auth0|42", "auth0|7"]);
    expect(await ids("AUTH0|")).toEqual([]);
    expect(await ids("BOB@")).toEqual(["auth0|7"]);
  });

  it("names the field of a bad phone, e-mail, locale or timezone", async () => {
    const { owner, site } = await tenant("uservalid");
    for (const [field, value] of [["phone", "0612345678"], ["email", "nope"], ["locale", "not a locale"], ["timezone", "Mars/Olympus"]] as const) {
      const r = await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: "u1", [field]: value } });
      expect(r.status, field).toBe(400);
      expect(r.body.error.fields[0].path).toBe(field);
    }
  });

  it("pages through users with a cursor", async () => {
    const { owner, site } = await tenant("userpages");
    for (let i = 0; i < 5; i++) await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: `p${i}` } });
    const first = await call("GET", `/api/sites/${site.id}/users?limit=3`, { token: owner.token });
    expect(first.body.data).toHaveLength(3);
    const rest = await call("GET", `/api/sites/${site.id}/users?limit=3&cursor=${first.body.next_cursor}`, { token: owner.token });
    expect(rest.body.data).toHaveLength(2);
    expect(rest.body.next_cursor).toBeNull();
    expect(new Set([...first.body.data, ...rest.body.data].map((x: { external_id: string }) => x.external_id)).size).toBe(5);
  });

  it("links browsers subscribed with the verified id and registered FCM tokens as the user's devices", async () => {
    const { owner, site } = await tenant("devices");
    await subscribeBrowser(site, "user-7");
    await subscribeBrowser(site); // anonymous: nobody's device
    const devices = `/api/sites/${site.id}/users/user-7/devices`;
    const fcm = await call("POST", devices, { token: owner.token, body: { type: "fcm", token: FCM_TOKEN, platform: "android" } });
    expect(fcm.status).toBe(201);
    expect((await call("POST", devices, { token: owner.token, body: { type: "fcm", token: FCM_TOKEN, platform: "android" } })).status).toBe(200);

    const list = await call("GET", devices, { token: owner.token });
    expect(list.body.data.map((d: { type: string }) => d.type).sort()).toEqual(["fcm", "web_push"]);
    expect(list.body.data.find((d: { type: string }) => d.type === "web_push").platform).toBe("Chrome on macOS");

    // The same token registered for someone else moves to them.
    await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: "user-8" } });
    const moved = await call("POST", `/api/sites/${site.id}/users/user-8/devices`, { token: owner.token, body: { type: "fcm", token: FCM_TOKEN, platform: "android" } });
    expect(moved.status).toBe(200);
    expect((await call("GET", devices, { token: owner.token })).body.data.map((d: { type: string }) => d.type)).toEqual(["web_push"]);

    const web = list.body.data.find((d: { type: string }) => d.type === "web_push");
    expect((await call("DELETE", `${devices}/${web.id}`, { token: owner.token })).status).toBe(204);
    expect((await call("GET", devices, { token: owner.token })).body.data).toEqual([]);
    expect((await call("DELETE", `${devices}/${web.id}`, { token: owner.token })).status).toBe(404);
    const bad = await call("POST", devices, { token: owner.token, body: { type: "fcm", token: "short", platform: "android" } });
    expect(bad.body.error.fields[0].path).toBe("token");
  });

  it("erases a user with every device and delivery, after exporting all of it", async () => {
    const { owner, site } = await tenant("erase");
    const subscriber = await subscribeBrowser(site, "gone@example.com");
    await call("POST", `/api/sites/${site.id}/users/${encodeURIComponent("gone@example.com")}/devices`, { token: owner.token, body: { type: "fcm", token: FCM_TOKEN, platform: "ios" } });
    await env.DB.prepare("insert into notifications (id, site_id, status, content, target, created_at, updated_at) values ('ntf_x', ?, 'completed', '{}', '{}', 0, 0)").bind(site.id).run();
    await env.DB.prepare("insert into deliveries (notification_id, subscriber_id, site_id, status, created_at) values ('ntf_x', ?, ?, 'sent', 0)").bind(subscriber, site.id).run();

    const path = `/api/sites/${site.id}/users/${encodeURIComponent("gone@example.com")}`;
    const exp = await call("GET", `${path}/export`, { token: owner.token });
    expect(exp.body.web_push_subscriptions).toHaveLength(1);
    expect(exp.body.mobile_devices[0].token).toBe(FCM_TOKEN);
    expect(exp.body.deliveries).toEqual([expect.objectContaining({ notification_id: "ntf_x", status: "sent" })]);

    expect((await call("DELETE", path, { token: owner.token })).status).toBe(204);
    expect((await call("GET", path, { token: owner.token })).status).toBe(404);
    const left = await env.DB.prepare(
      "select (select count(*) from subscribers where id = ?1) + (select count(*) from deliveries where subscriber_id = ?1) + (select count(*) from mobile_devices where site_id = ?2) n",
    )
      .bind(subscriber, site.id)
      .first<number>("n");
    expect(left).toBe(0);
  });

  it("lets members read users but only admins and users:write keys change them", async () => {
    const { owner, site } = await tenant("userroles");
    const member = await registerUser("umember");
    await env.DB.prepare("insert into site_members (site_id, user_id, role, created_at) values (?, ?, 'member', 0)").bind(site.id, member.user.id).run();
    await call("POST", `/api/sites/${site.id}/users`, { token: owner.token, body: { external_id: "r1" } });
    expect((await call("GET", `/api/sites/${site.id}/users/r1`, { token: member.token })).status).toBe(200);
    expect((await call("PATCH", `/api/sites/${site.id}/users/r1`, { token: member.token, body: { locale: "en" } })).status).toBe(403);
    const readKey = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "r", scopes: ["users:read"] } });
    expect((await call("GET", `/api/sites/${site.id}/users`, { token: readKey.body.key })).status).toBe(200);
    expect((await call("DELETE", `/api/sites/${site.id}/users/r1`, { token: readKey.body.key })).body.error.code).toBe("insufficient_scope");
  });

  it("tells the site's webhooks when a user's devices are registered and unregistered", async () => {
    const { owner, site } = await tenant("devevents");
    const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${site.id}${path}`, { token: owner.token, body });
    expect((await api("POST", "/webhooks", { url: "http://127.0.0.1:8799/hooks", event_types: ["subscriber.created", "subscriber.deleted"] })).status).toBe(201);
    await api("POST", "/users", { external_id: "ada" });
    const phone = await api("POST", "/users/ada/devices", { type: "fcm", token: FCM_TOKEN, platform: "ios" });
    await api("POST", "/users/ada/devices", { type: "fcm", token: FCM_TOKEN, platform: "ios" }); // again: nothing new
    const tablet = await api("POST", "/users/ada/devices", { type: "fcm", token: `${FCM_TOKEN}2`, platform: "android" });
    await subscribeBrowser(site, "ada");
    expect((await api("DELETE", `/users/ada/devices/${phone.body.id}`)).status).toBe(204);
    expect((await api("DELETE", "/users/ada")).status).toBe(204);

    const rows = await env.DB.prepare("select type, data from webhook_events where site_id = ? order by created_at, id").bind(site.id).all<{ type: string; data: string }>();
    const seen = rows.results.map((r) => {
      const d = JSON.parse(r.data) as { channel: string; subscriber_id: string; reason?: string; os?: string };
      return `${r.type} ${d.channel} ${d.subscriber_id === phone.body.id ? "phone" : d.subscriber_id === tablet.body.id ? "tablet" : "browser"}${d.reason ? ` ${d.reason}` : ""}`;
    });
    expect(seen.sort()).toEqual(
      [
        "subscriber.created fcm phone",
        "subscriber.created fcm tablet",
        "subscriber.created web_push browser",
        "subscriber.deleted fcm phone unsubscribed",
        "subscriber.deleted fcm tablet erased",
        "subscriber.deleted web_push browser erased",
      ].sort(),
    );
  });
});
