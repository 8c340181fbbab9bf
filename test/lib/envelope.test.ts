import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { masterKeyRing, open, seal } from "../../workers/lib/envelope";
import { reencryptSecrets } from "../../workers/services/secrets";
import { makeDeps } from "../../workers/services/deps";
import { loadVapidKeys } from "../../workers/services/sites";
import { call, tenant } from "../helpers";

const key = (fill: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(fill)));

describe("secrets at rest", () => {
  it("round-trips and binds the ciphertext to its row and purpose", async () => {
    const ring = await masterKeyRing(`1:${key(1)}`);
    const sealed = await seal(ring, "private-d", { siteId: "site_a", purpose: "vapid_private_key" });
    expect(await open(ring, sealed, { siteId: "site_a", purpose: "vapid_private_key" })).toBe("private-d");
    await expect(open(ring, sealed, { siteId: "site_b", purpose: "vapid_private_key" })).rejects.toThrow();
    await expect(open(ring, sealed, { siteId: "site_a", purpose: "twilio_token" })).rejects.toThrow();
  });

  it("still decrypts old key versions after rotation and encrypts with the newest", async () => {
    const old = await masterKeyRing(`1:${key(1)}`);
    const sealed = await seal(old, "secret", { siteId: "s", purpose: "p" });
    const rotated = await masterKeyRing(`1:${key(1)},2:${key(2)}`);
    expect(await open(rotated, sealed, { siteId: "s", purpose: "p" })).toBe("secret");
    expect(await seal(rotated, "x", { siteId: "s", purpose: "p" })).toMatch(/^env1\.2\./);
  });

  it("rejects a malformed MASTER_KEYS", async () => {
    await expect(masterKeyRing("1:short")).rejects.toThrow(/32 bytes/);
  });

  it("re-encrypts every stored VAPID key to the newest master key (the rotation command)", async () => {
    const { site } = await tenant("rotate");
    const before = await loadVapidKeys(makeDeps(env), site.id);
    const rotatedEnv = { ...env, MASTER_KEYS: `${env.MASTER_KEYS},7:${key(7)}` };
    let cursor: string | null = "";
    let total = 0;
    while (cursor !== null) {
      const r = await reencryptSecrets(makeDeps(rotatedEnv), cursor, 2);
      total += r.reencrypted;
      cursor = r.next_cursor;
    }
    expect(total).toBeGreaterThanOrEqual(1);
    const row = await env.DB.prepare("select private_key_enc from site_vapid_keys where site_id = ?").bind(site.id).first<{ private_key_enc: string }>();
    expect(row!.private_key_enc).toMatch(/^env1\.7\./);
    expect((await loadVapidKeys(makeDeps(rotatedEnv), site.id)).privateKey).toBe(before.privateKey);
    // A second run has nothing left to do.
    expect((await reencryptSecrets(makeDeps(rotatedEnv), "", 1000)).reencrypted).toBe(0);
  });

  it("protects the rotation endpoint with the admin token", async () => {
    expect((await call("POST", "/api/admin/reencrypt-secrets", { body: {} })).status).toBe(401);
    const ok = await call("POST", "/api/admin/reencrypt-secrets", { body: {}, token: env.ADMIN_TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.body.key_version).toBe(1);
  });
});
