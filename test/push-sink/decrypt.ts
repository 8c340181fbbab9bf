// The user agent's side of RFC 8291: decrypts an aes128gcm push body (RFC 8188) with the
// subscription's ECDH private key and auth secret. Pure WebCrypto, no imports, so it runs
// in Node (the push sink) and in workerd (test/push) alike.
//
//   decryptPushBody(body, { privateKey, publicKey, auth }) → plaintext bytes (throws on any failure)

const enc = new TextEncoder();
const KEY_INFO_PREFIX = enc.encode("WebPush: info\0");
const CEK_INFO = enc.encode("Content-Encoding: aes128gcm\0");
const NONCE_INFO = enc.encode("Content-Encoding: nonce\0");

export interface UaKeys {
  /** ECDH P-256 private key of the subscription (usage deriveBits). */
  privateKey: CryptoKey;
  /** The subscription's public key, 65-byte uncompressed point (p256dh). */
  publicKey: Uint8Array;
  /** 16-byte auth secret. */
  auth: Uint8Array;
}

export async function decryptPushBody(body: Uint8Array, ua: UaKeys): Promise<Uint8Array> {
  if (body.length < 21) throw new Error("body shorter than the RFC 8188 header");
  const salt = body.slice(0, 16);
  const rs = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(16);
  const idlen = body[20]!;
  if (idlen !== 65) throw new Error("keyid is not a 65-byte P-256 public key");
  const asPublic = body.slice(21, 21 + idlen);
  const ciphertext = body.slice(21 + idlen);
  // RFC 8291 §4: a single record; rs must cover it.
  if (ciphertext.length < 17 || ciphertext.length > rs) throw new Error("not exactly one record");
  const subtle = crypto.subtle;
  const asKey = await subtle.importKey("raw", asPublic, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const secret = await subtle.deriveBits({ name: "ECDH", public: asKey } as SubtleCryptoDeriveKeyAlgorithm, ua.privateKey, 256);
  const keyInfo = new Uint8Array(KEY_INFO_PREFIX.length + 130);
  keyInfo.set(KEY_INFO_PREFIX);
  keyInfo.set(ua.publicKey, KEY_INFO_PREFIX.length);
  keyInfo.set(asPublic, KEY_INFO_PREFIX.length + 65);
  const secretKey = await subtle.importKey("raw", secret, "HKDF", false, ["deriveBits"]);
  const ikm = await subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: ua.auth as Uint8Array<ArrayBuffer>, info: keyInfo },
    secretKey,
    256,
  );
  const ikmKey = await subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  const [cek, nonce] = await Promise.all([
    subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info: CEK_INFO }, ikmKey, 128),
    subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info: NONCE_INFO }, ikmKey, 96),
  ]);
  const cekKey = await subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const padded = new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv: nonce }, cekKey, ciphertext));
  // RFC 8188 §2: strip trailing zero padding, then the 0x02 last-record delimiter.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x02) throw new Error("missing last-record delimiter");
  return padded.subarray(0, end);
}
