// base64url without padding (RFC 4648 §5), the encoding Web Push uses for keys,
// auth secrets, JWT segments (RFC 7515 §2) and the RFC 8291 test vectors.
// Table-driven so it runs the same in workerd and Node without Buffer/atob.
// No imports: test/push-sink (plain Node) imports this file directly.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
// Accept the standard alphabet too: some clients hand over p256dh/auth with +/ and padding.
DECODE["+".charCodeAt(0)] = 62;
DECODE["/".charCodeAt(0)] = 63;

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(input: Uint8Array | ArrayBuffer): string {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  let out = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]!;
    if (i + 1 < n) out += ALPHABET[(v >> 6) & 63]!;
  }
  return out;
}

/** Decodes base64url (or standard base64, padded or not). Throws on any other character. */
export function decodeBase64Url(s: string): Uint8Array<ArrayBuffer> {
  let len = s.length;
  while (len > 0 && s.charCodeAt(len - 1) === 61 /* = */) len--;
  if (len % 4 === 1) throw new TypeError("invalid base64url length");
  const out = new Uint8Array((len * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? DECODE[c]! : -1;
    if (v < 0) throw new TypeError("invalid base64url character");
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

const utf8 = new TextEncoder();
/** base64url of a UTF-8 string (JWT header/claims segments). */
export function encodeBase64UrlText(text: string): string {
  return encodeBase64Url(utf8.encode(text));
}
