// Per-delivery event tokens, carried in each push payload's `token` field: the
// service worker reports impressions, clicks and dismissals with it, and nobody can
// forge events for another site, notification or subscriber.
// Format: b64url("<siteId>.<notificationId>.<subscriberId>") "." b64url(HMAC-SHA256[0..16]).
// The HMAC key is derived from JWT_SECRET with HKDF (distinct info), so it is never
// the same key as the JWT signing key.
import { fromBase64, fromBase64Url, timingSafeEqual, toBase64Url } from "./encoding";

export interface DeliveryRef {
  siteId: string;
  notificationId: string;
  subscriberId: string;
}

const MAC_BYTES = 16; // 128-bit tag: forgery is as hard as guessing 2^128
const keyCache = new Map<string, Promise<CryptoKey>>();
const enc = new TextEncoder();

function macKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey("raw", fromBase64(secret), "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: enc.encode("herald event token v1") },
        ikm,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign"],
      );
    })();
    keyCache.set(secret, key);
  }
  return key;
}

async function mac(secret: string, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await macKey(secret), enc.encode(data))).subarray(0, MAC_BYTES);
}

export async function signEventToken(secret: string, ref: DeliveryRef): Promise<string> {
  const data = `${ref.siteId}.${ref.notificationId}.${ref.subscriberId}`;
  return `${toBase64Url(enc.encode(data))}.${toBase64Url(await mac(secret, data))}`;
}

/** The delivery a token names, or null if the token is malformed or forged. */
export async function verifyEventToken(secret: string, token: string): Promise<DeliveryRef | null> {
  const [dataPart, macPart, extra] = token.split(".");
  if (!dataPart || !macPart || extra !== undefined) return null;
  let data: string;
  let given: Uint8Array;
  try {
    data = new TextDecoder().decode(fromBase64Url(dataPart));
    given = fromBase64Url(macPart);
  } catch {
    return null;
  }
  if (!timingSafeEqual(given, await mac(secret, data))) return null;
  const [siteId, notificationId, subscriberId] = data.split(".");
  if (!siteId || !notificationId || !subscriberId) return null;
  return { siteId, notificationId, subscriberId };
}
