// Cross-checks against @block65/webcrypto-web-push, an independent WebCrypto implementation.
import { encryptNotification, vapidHeaders } from "@block65/webcrypto-web-push";
import { decodeJwt, importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { encryptPayload } from "../../../workers/channels/webpush/encrypt";
import { createVapidSigner, generateVapidKeys } from "../../../workers/channels/webpush/vapid";
import { decryptPushBody } from "../../push-sink/decrypt";
import { browserSubscription, p256Jwk } from "./helpers";

const text = new TextEncoder();
const utf8 = new TextDecoder();
const payload = JSON.stringify({ title: "Hello", body: "from Herald", url: "https://example.com/a?b=c", token: "tok_1" });

describe("interop with @block65/webcrypto-web-push", () => {
  it("decrypts their padded body and ours with the same user-agent decryption", async () => {
    const sub = await browserSubscription();
    const theirs = await encryptNotification({ ...sub, expirationTime: null }, text.encode(payload));
    const ours = await encryptPayload(text.encode(payload), sub.keys);
    expect(theirs.length).toBe(4096); // they pad to the limit; we do not
    expect(ours.length).toBeLessThan(300);
    expect(utf8.decode(await decryptPushBody(theirs, sub.ua))).toBe(payload);
    expect(utf8.decode(await decryptPushBody(ours, sub.ua))).toBe(payload);
    // Same header layout: rs 4096, 65-byte keyid.
    expect(Array.from(ours.subarray(16, 21))).toEqual(Array.from(theirs.subarray(16, 21)));
  });

  it("produces the same VAPID claims shape as theirs, both verifying with the same key", async () => {
    const keys = await generateVapidKeys();
    const sub = await browserSubscription("https://fcm.googleapis.com/fcm/send/xyz");
    const theirs = (await vapidHeaders({ ...sub, expirationTime: null }, { ...keys, subject: "mailto:a@b.c" })).headers
      .authorization;
    const ours = await createVapidSigner({ ...keys, subject: "mailto:a@b.c" }).authorizationFor(sub.endpoint);
    const key = await importJWK(p256Jwk(keys.publicKey), "ES256");
    for (const h of [theirs, ours]) {
      const [, t, k] = /^vapid t=(\S+), k=(\S+)$/.exec(h)!;
      expect(k).toBe(keys.publicKey);
      const { payload: claims } = await jwtVerify(t!, key);
      expect(claims.aud).toBe("https://fcm.googleapis.com");
      expect(claims.sub).toBe("mailto:a@b.c");
    }
    const ourExp = decodeJwt(/t=(\S+),/.exec(ours)![1]!).exp!;
    const theirExp = decodeJwt(/t=(\S+),/.exec(theirs)![1]!).exp!;
    expect(Math.abs(ourExp - theirExp)).toBeLessThan(5);
  });
});
