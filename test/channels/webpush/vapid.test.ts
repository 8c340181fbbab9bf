import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { describe, expect, it, vi } from "vitest";
import { VAPID_JWT_REFRESH_MARGIN_S, VAPID_JWT_TTL_S } from "../../../workers/config";
import { decodeBase64Url } from "../../../workers/lib/base64url";
import { createVapidSigner, generateVapidKeys } from "../../../workers/channels/webpush/vapid";
import { p256Jwk } from "./helpers";

const FCM = "https://fcm.googleapis.com/fcm/send/abc:def";
const MOZ = "https://updates.push.services.mozilla.com/wpush/v2/gAAAA";
const T0 = Date.UTC(2026, 0, 1); // unix ms

function parse(header: string) {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header);
  if (!m) throw new Error(`not a vapid header: ${header}`);
  return { jwt: m[1]!, k: m[2]! };
}

describe("VAPID (RFC 8292)", () => {
  it("generates a 65-byte uncompressed public key and a 32-byte private scalar", async () => {
    const keys = await generateVapidKeys();
    const pub = decodeBase64Url(keys.publicKey);
    expect(pub.length).toBe(65);
    expect(pub[0]).toBe(0x04);
    expect(decodeBase64Url(keys.privateKey).length).toBe(32);
  });

  it("signs an ES256 JWT for the endpoint's origin that verifies with k", async () => {
    const keys = await generateVapidKeys();
    const signer = createVapidSigner({ ...keys, subject: "mailto:ops@example.com", now: () => T0 });
    const { jwt, k } = parse(await signer.authorizationFor(FCM));
    expect(k).toBe(keys.publicKey);
    expect(decodeProtectedHeader(jwt)).toEqual({ typ: "JWT", alg: "ES256" });
    const key = await importJWK(p256Jwk(k), "ES256");
    const { payload } = await jwtVerify(jwt, key, { currentDate: new Date(T0), audience: "https://fcm.googleapis.com" });
    expect(payload.sub).toBe("mailto:ops@example.com");
    expect(payload.exp).toBe(T0 / 1000 + VAPID_JWT_TTL_S);
    expect(payload.exp! - T0 / 1000).toBeLessThanOrEqual(24 * 3600);
  });

  it("accepts a pre-imported CryptoKey as the private key", async () => {
    const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const { encodeBase64Url } = await import("../../../workers/lib/base64url");
    const publicKey = encodeBase64Url((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
    const signer = createVapidSigner({ publicKey, privateKey: pair.privateKey, subject: "https://herald.example" });
    const { jwt } = parse(await signer.authorizationFor(MOZ));
    await expect(jwtVerify(jwt, pair.publicKey)).resolves.toBeTruthy();
  });

  it("reuses the header for the same origin and signs once for concurrent callers", async () => {
    const keys = await generateVapidKeys();
    const sign = vi.spyOn(crypto.subtle, "sign");
    try {
      const signer = createVapidSigner({ ...keys, subject: "mailto:a@b.c", now: () => T0 });
      const [a, b] = await Promise.all([signer.authorizationFor(FCM), signer.authorizationFor(FCM + "/other")]);
      const c = await signer.authorizationFor("https://fcm.googleapis.com/x");
      expect(b).toBe(a);
      expect(c).toBe(a);
      expect(sign).toHaveBeenCalledTimes(1);
    } finally {
      sign.mockRestore();
    }
  });

  it("signs a new JWT for another push-service origin", async () => {
    const keys = await generateVapidKeys();
    const signer = createVapidSigner({ ...keys, subject: "mailto:a@b.c", now: () => T0 });
    const a = parse(await signer.authorizationFor(FCM)).jwt;
    const b = parse(await signer.authorizationFor(MOZ)).jwt;
    expect(b).not.toBe(a);
    expect(decodeJwt(b).aud).toBe("https://updates.push.services.mozilla.com");
  });

  it("re-signs shortly before expiry, not earlier", async () => {
    const keys = await generateVapidKeys();
    let now = T0;
    const signer = createVapidSigner({ ...keys, subject: "mailto:a@b.c", now: () => now });
    const first = await signer.authorizationFor(FCM);
    now = T0 + (VAPID_JWT_TTL_S - VAPID_JWT_REFRESH_MARGIN_S - 1) * 1000;
    expect(await signer.authorizationFor(FCM)).toBe(first);
    now = T0 + (VAPID_JWT_TTL_S - VAPID_JWT_REFRESH_MARGIN_S) * 1000;
    const second = await signer.authorizationFor(FCM);
    expect(second).not.toBe(first);
    expect(decodeJwt(parse(second).jwt).exp).toBe(now / 1000 + VAPID_JWT_TTL_S);
  });

  it("rejects a subject that is not mailto: or https:", async () => {
    const keys = await generateVapidKeys();
    expect(() => createVapidSigner({ ...keys, subject: "ops@example.com" })).toThrow(/subject/);
  });

  it("rejects a private key that does not match the public key's curve point format", async () => {
    const keys = await generateVapidKeys();
    const signer = createVapidSigner({ publicKey: keys.publicKey.slice(4), privateKey: keys.privateKey, subject: "mailto:a@b.c" });
    await expect(signer.authorizationFor(FCM)).rejects.toThrow(/public key/);
  });
});
