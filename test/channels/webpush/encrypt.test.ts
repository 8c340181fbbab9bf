import { describe, expect, it } from "vitest";
import { PUSH_MAX_BODY_BYTES } from "../../../workers/config";
import { decodeBase64Url, encodeBase64Url } from "../../../workers/lib/base64url";
import { encryptedLength, encryptPayload } from "../../../workers/channels/webpush/encrypt";
import { decryptPushBody } from "../../push-sink/decrypt";
import { browserSubscription, importEcdhPair, p256Jwk, RFC8291 } from "./helpers";

const text = new TextEncoder();
const utf8 = new TextDecoder();

describe("RFC 8291 aes128gcm encryption", () => {
  it("reproduces the RFC 8291 §5 example body byte for byte", async () => {
    const localKeys = await importEcdhPair(RFC8291.asPublic, RFC8291.asPrivate);
    const body = await encryptPayload(
      text.encode(RFC8291.plaintext),
      { p256dh: RFC8291.uaPublic, auth: RFC8291.auth },
      { salt: decodeBase64Url(RFC8291.salt), localKeys },
    );
    expect(encodeBase64Url(body)).toBe(RFC8291.body);
  });

  it("decrypts the RFC 8291 §5 example with the user agent's keys", async () => {
    const privateKey = await crypto.subtle.importKey(
      "jwk",
      p256Jwk(RFC8291.uaPublic, RFC8291.uaPrivate),
      { name: "ECDH", namedCurve: "P-256" },
      false,
      ["deriveBits"],
    );
    const plain = await decryptPushBody(decodeBase64Url(RFC8291.body), {
      privateKey,
      publicKey: decodeBase64Url(RFC8291.uaPublic),
      auth: decodeBase64Url(RFC8291.auth),
    });
    expect(utf8.decode(plain)).toBe(RFC8291.plaintext);
  });

  it("round-trips a JSON payload through a browser subscription", async () => {
    const sub = await browserSubscription();
    const payload = JSON.stringify({ title: "Sale", body: "50% off — today only ☀", token: "t_1" });
    const body = await encryptPayload(text.encode(payload), sub.keys);
    expect(utf8.decode(await decryptPushBody(body, sub.ua))).toBe(payload);
  });

  it("writes the RFC 8188 header: salt, rs = 4096, idlen 65, a fresh sender key", async () => {
    const sub = await browserSubscription();
    const a = await encryptPayload(text.encode("x"), sub.keys);
    const b = await encryptPayload(text.encode("x"), sub.keys);
    expect(new DataView(a.buffer).getUint32(16)).toBe(4096);
    expect(a[20]).toBe(65);
    expect(a[21]).toBe(0x04);
    // Fresh salt and ephemeral key per message (RFC 8291 §2).
    expect(encodeBase64Url(a.subarray(0, 16))).not.toBe(encodeBase64Url(b.subarray(0, 16)));
    expect(encodeBase64Url(a.subarray(21, 86))).not.toBe(encodeBase64Url(b.subarray(21, 86)));
  });

  it("pads minimally: body length equals encryptedLength(plaintext)", async () => {
    const sub = await browserSubscription();
    for (const n of [0, 1, 200, 3993]) {
      const body = await encryptPayload(new Uint8Array(n).fill(0x61), sub.keys);
      expect(body.length).toBe(encryptedLength(n));
    }
    expect(encryptedLength(0)).toBe(103);
    expect(encryptedLength(41)).toBe(decodeBase64Url(RFC8291.body).length);
  });

  it("puts 3993 plaintext bytes at the 4096-byte push-service limit", () => {
    expect(encryptedLength(3993)).toBe(PUSH_MAX_BODY_BYTES);
    expect(encryptedLength(3994)).toBeGreaterThan(PUSH_MAX_BODY_BYTES);
  });

  it("rejects a malformed p256dh or auth secret", async () => {
    const sub = await browserSubscription();
    const p = text.encode("x");
    await expect(encryptPayload(p, { ...sub.keys, p256dh: sub.keys.p256dh.slice(4) })).rejects.toThrow(/p256dh/);
    await expect(encryptPayload(p, { ...sub.keys, auth: "AAAA" })).rejects.toThrow(/auth/);
    await expect(encryptPayload(p, { ...sub.keys, auth: "!!" })).rejects.toThrow();
  });

  it("refuses a plaintext that does not fit one 4096-byte record", async () => {
    const sub = await browserSubscription();
    await expect(encryptPayload(new Uint8Array(4080), sub.keys)).rejects.toThrow(RangeError);
  });

  it("decodes keys given in the standard base64 alphabet with padding", async () => {
    const sub = await browserSubscription();
    const std = (s: string) => btoa(String.fromCharCode(...decodeBase64Url(s)));
    const body = await encryptPayload(text.encode("std"), { p256dh: std(sub.keys.p256dh), auth: std(sub.keys.auth) });
    expect(utf8.decode(await decryptPushBody(body, sub.ua))).toBe("std");
  });

  it("fails to decrypt with another subscription's keys", async () => {
    const [a, b] = [await browserSubscription(), await browserSubscription()];
    const body = await encryptPayload(text.encode("secret"), a.keys);
    await expect(decryptPushBody(body, b.ua)).rejects.toThrow();
  });
});
