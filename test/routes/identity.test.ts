// Identity verification (issue #7): a browser may only claim an external_id that the site's
// server signed with the site's identity secret.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { IDENTITY_PREVIOUS_SECRET_GRACE_MS } from "../../workers/config";
import { identityHash } from "../../workers/lib/identity";
import { makeDeps } from "../../workers/services/deps";
import { rotateIdentitySecret, verifyIdentity } from "../../workers/services/identity";
import { installFakePush } from "../fixtures/fake-push";
import { call, registerUser, tenant } from "../helpers";

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

async function subscribeAs(siteKey: string, extra: Record<string, unknown>) {
  const sub = await push.subscription();
  return call("POST", "/api/subscribe", { body: { site_key: siteKey, subscription: { endpoint: sub.endpoint, keys: sub.keys }, ...extra } });
}

describe("identity verification", () => {
  it("refuses an external_id without its hash, so nobody can subscribe as another user", async () => {
    push = installFakePush();
    const { owner, site } = await tenant("spoof");
    const spoof = await subscribeAs(site.site_key, { external_id: "user-42" });
    expect(spoof.status).toBe(403);
    expect(spoof.body.error).toMatchObject({ code: "identity_unverified", fields: [{ path: "external_id_hash" }] });
    const wrong = await subscribeAs(site.site_key, { external_id: "user-42", external_id_hash: await identityHash(site.identity_secret, "user-43") });
    expect(wrong.status).toBe(403);
    const garbage = await subscribeAs(site.site_key, { external_id: "user-42", external_id_hash: "not-hex" });
    expect(garbage.status).toBe(403);

    const real = await subscribeAs(site.site_key, { external_id: "user-42", external_id_hash: await identityHash(site.identity_secret, "user-42") });
    expect(real.status).toBe(201);
    // Only the verified browser is user-42: a send to that user reaches exactly one subscriber.
    const count = await call("POST", `/api/sites/${site.id}/audience/count`, { token: owner.token, body: { target: { external_ids: ["user-42"] } } });
    expect(count.body.count).toBe(1);
    const list = await call("GET", `/api/sites/${site.id}/subscribers`, { token: owner.token });
    expect(list.body.data.filter((s: { external_id: string | null }) => s.external_id === "user-42")).toHaveLength(1);
  });

  it("refuses a hash made with another site's secret", async () => {
    push = installFakePush();
    const a = await tenant("ida");
    const b = await tenant("idb");
    const res = await subscribeAs(a.site.site_key, { external_id: "u1", external_id_hash: await identityHash(b.site.identity_secret, "u1") });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("identity_unverified");
  });

  it("lets a browser clear its external id without a hash", async () => {
    push = installFakePush();
    const { site } = await tenant("clear");
    expect((await subscribeAs(site.site_key, { external_id: null })).status).toBe(201);
  });

  it("shows the secret once, then only its last four characters, to admins only", async () => {
    const { owner, site } = await tenant("show");
    expect(site.identity_secret).toMatch(/^hid_[A-Za-z0-9_-]{43}$/);
    const status = await call("GET", `/api/sites/${site.id}/identity`, { token: owner.token });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ configured: true, hint: site.identity_secret.slice(-4), previous_valid_until: null });
    expect(JSON.stringify(status.body)).not.toContain(site.identity_secret);
    const got = await call("GET", `/api/sites/${site.id}`, { token: owner.token });
    expect(JSON.stringify(got.body)).not.toContain(site.identity_secret);
    const stored = await env.DB.prepare("select secret_enc from site_identity_secrets where site_id = ?").bind(site.id).first<string>("secret_enc");
    expect(stored).toMatch(/^env1\./);
    expect(stored).not.toContain(site.identity_secret);

    const member = await registerUser("idmember");
    await env.DB.prepare("insert into site_members (site_id, user_id, role, created_at) values (?, ?, 'member', 0)").bind(site.id, member.user.id).run();
    expect((await call("GET", `/api/sites/${site.id}/identity`, { token: member.token })).status).toBe(403);
    expect((await call("POST", `/api/sites/${site.id}/identity/rotate`, { token: member.token })).status).toBe(403);
    const key = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "k", scopes: ["send"] } });
    expect((await call("POST", `/api/sites/${site.id}/identity/rotate`, { token: key.body.key })).status).toBe(403);
  });

  it("rotates: the new secret verifies at once and the old one only during the grace period", async () => {
    push = installFakePush();
    const { owner, site } = await tenant("rotate");
    const oldHash = await identityHash(site.identity_secret, "u7");
    const rotated = await call("POST", `/api/sites/${site.id}/identity/rotate`, { token: owner.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(site.identity_secret);
    expect(rotated.body.previous_valid_until).toBeGreaterThan(Date.now());
    const newHash = await identityHash(rotated.body.secret, "u7");
    expect((await subscribeAs(site.site_key, { external_id: "u7", external_id_hash: newHash })).status).toBe(201);
    expect((await subscribeAs(site.site_key, { external_id: "u7", external_id_hash: oldHash })).status).toBe(201);

    const later = makeDeps(env, () => Date.now() + IDENTITY_PREVIOUS_SECRET_GRACE_MS + 1000);
    await expect(verifyIdentity(later, site.id, "u7", oldHash)).rejects.toMatchObject({ code: "identity_unverified" });
    await expect(verifyIdentity(later, site.id, "u7", newHash)).resolves.toBeUndefined();

    // A second rotation retires the first secret for good.
    await rotateIdentitySecret(makeDeps(env), site.id);
    await expect(verifyIdentity(makeDeps(env), site.id, "u7", oldHash)).rejects.toMatchObject({ code: "identity_unverified" });
  });

  it("computes the same hash as the Node and PHP snippets in the README (HMAC-SHA256, hex)", async () => {
    // echo -n 'user-42' | openssl dgst -sha256 -hmac 'hid_example'
    expect(await identityHash("hid_example", "user-42")).toBe("980db069003b98c1b1049e4d38b1f0cfe5beb98e4220740cdbe028fe72f03560");
  });
});
