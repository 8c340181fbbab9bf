// The road not taken: RFC 8291 key schedule with HKDF hand-rolled from HMAC-SHA-256
// (RFC 5869 extract/expand, one block each), instead of WebCrypto's HKDF as in
// workers/channels/webpush/encrypt.ts. Kept only so the bench shows why encrypt.ts uses HKDF.
import { decodeBase64Url } from "../../workers/lib/base64url";

const enc = new TextEncoder();
const KEY_INFO_PREFIX = enc.encode("WebPush: info\0");
const CEK_INFO = enc.encode("Content-Encoding: aes128gcm\0\x01");
const NONCE_INFO = enc.encode("Content-Encoding: nonce\0\x01");
const HMAC = { name: "HMAC", hash: "SHA-256" } as const;
const ECDH_P256 = { name: "ECDH", namedCurve: "P-256" } as const;

async function hmac(key: BufferSource, data: BufferSource): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey("raw", key, HMAC, false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, data);
}

export async function encryptPayloadHmac(plaintext: Uint8Array, sub: { p256dh: string; auth: string }): Promise<Uint8Array> {
  const uaPublic = decodeBase64Url(sub.p256dh);
  const auth = decodeBase64Url(sub.auth);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const [uaKey, local] = await Promise.all([
    crypto.subtle.importKey("raw", uaPublic, ECDH_P256, false, []),
    crypto.subtle.generateKey(ECDH_P256, false, ["deriveBits"]) as Promise<CryptoKeyPair>,
  ]);
  const [asPub, secret] = await Promise.all([
    crypto.subtle.exportKey("raw", local.publicKey) as Promise<ArrayBuffer>,
    crypto.subtle.deriveBits({ name: "ECDH", public: uaKey } as SubtleCryptoDeriveKeyAlgorithm, local.privateKey, 256),
  ]);
  const keyInfo = new Uint8Array(KEY_INFO_PREFIX.length + 131);
  keyInfo.set(KEY_INFO_PREFIX);
  keyInfo.set(uaPublic, KEY_INFO_PREFIX.length);
  keyInfo.set(new Uint8Array(asPub), KEY_INFO_PREFIX.length + 65);
  keyInfo[keyInfo.length - 1] = 1;
  const prkKey = await hmac(auth, secret);
  const ikm = await hmac(prkKey, keyInfo);
  const prk = await crypto.subtle.importKey("raw", await hmac(salt, ikm), HMAC, false, ["sign"]);
  const [cekFull, nonceFull] = await Promise.all([crypto.subtle.sign("HMAC", prk, CEK_INFO), crypto.subtle.sign("HMAC", prk, NONCE_INFO)]);
  const cek = await crypto.subtle.importKey("raw", cekFull.slice(0, 16), "AES-GCM", false, ["encrypt"]);
  const record = new Uint8Array(plaintext.length + 1);
  record.set(plaintext);
  record[plaintext.length] = 2;
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonceFull.slice(0, 12) }, cek, record);
  const body = new Uint8Array(86 + ct.byteLength);
  body.set(salt);
  new DataView(body.buffer).setUint32(16, 4096);
  body[20] = 65;
  body.set(new Uint8Array(asPub), 21);
  body.set(new Uint8Array(ct), 86);
  return body;
}
