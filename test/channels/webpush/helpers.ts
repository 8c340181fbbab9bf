// Shared fixtures for the Web Push tests: the RFC 8291 §5 example and a browser-side
// subscription generator (the user agent's keys, so tests can decrypt what we send).
import { decodeBase64Url, encodeBase64Url } from "../../../workers/lib/base64url";

/** RFC 8291 §5 / Appendix A, verbatim. */
export const RFC8291 = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  body:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml" +
    "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT" +
    "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

/** JWK for a P-256 key from its uncompressed public point and (optionally) private d. */
export function p256Jwk(publicKey: string, d?: string): JsonWebKey {
  const pub = decodeBase64Url(publicKey);
  const jwk: JsonWebKey = { kty: "EC", crv: "P-256", x: encodeBase64Url(pub.subarray(1, 33)), y: encodeBase64Url(pub.subarray(33, 65)) };
  if (d) jwk.d = d;
  return jwk;
}

/** An ECDH key pair imported from the RFC example's raw keys. */
export async function importEcdhPair(publicKey: string, d: string): Promise<CryptoKeyPair> {
  const alg = { name: "ECDH", namedCurve: "P-256" };
  return {
    publicKey: await crypto.subtle.importKey("jwk", p256Jwk(publicKey), alg, true, []),
    privateKey: await crypto.subtle.importKey("jwk", p256Jwk(publicKey, d), alg, false, ["deriveBits", "deriveKey"]),
  };
}

export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** What the browser keeps to decrypt. */
  ua: { privateKey: CryptoKey; publicKey: Uint8Array; auth: Uint8Array };
}

/** What PushManager.subscribe() would create: a fresh ECDH key pair and auth secret. */
export async function browserSubscription(endpoint = "https://push.example.net/wpush/v2/abc"): Promise<BrowserSubscription> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"])) as CryptoKeyPair;
  const publicKey = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const auth = crypto.getRandomValues(new Uint8Array(16));
  return {
    endpoint,
    keys: { p256dh: encodeBase64Url(publicKey), auth: encodeBase64Url(auth) },
    ua: { privateKey: pair.privateKey, publicKey, auth },
  };
}
