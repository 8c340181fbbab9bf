// RFC 8292 VAPID: the application server identifies itself to push services with an
// ES256 JWT { aud: push-service origin, exp: ≤ 24 h ahead, sub: contact URI } and its
// public key, sent as `Authorization: vapid t=<jwt>, k=<public key>` (§3, §3.1–3.2).
//
//   generateVapidKeys() → { publicKey, privateKey }      both base64url: 65-byte uncompressed
//                                                         point, 32-byte private scalar `d`
//   createVapidSigner({ publicKey, privateKey, subject, now? }) → VapidSigner
//   signer.authorizationFor(endpoint) → "vapid t=…, k=…"
//
// One signer per site: it imports the private key once and keeps the signed header per
// push-service origin until VAPID_JWT_REFRESH_MARGIN_S before exp, so a fan-out of N
// messages to one push service signs once, not N times. Concurrent callers share one
// in-flight signature. `now` (unix ms) is injectable for tests.

import {
  VAPID_CACHE_MAX_ORIGINS,
  VAPID_JWT_REFRESH_MARGIN_S,
  VAPID_JWT_TTL_S,
} from "../../config";
import { decodeBase64Url, encodeBase64Url, encodeBase64UrlText } from "../../lib/base64url";

const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256" } as const;
const ES256 = { name: "ECDSA", hash: "SHA-256" } as const;
// RFC 7515 JOSE header; constant, so encoded once.
const JWT_HEADER = encodeBase64UrlText(JSON.stringify({ typ: "JWT", alg: "ES256" }));

export interface VapidKeys {
  /** Uncompressed P-256 public key (65 bytes), base64url: the `k` parameter and the
   *  applicationServerKey browsers subscribe with. */
  publicKey: string;
  /** Private scalar `d` (32 bytes), base64url. Store encrypted. */
  privateKey: string;
}

export interface VapidSigner {
  /** Authorization header value for a push to this endpoint (cached per endpoint origin). */
  authorizationFor(endpoint: string): Promise<string>;
}

export interface VapidSignerOptions {
  publicKey: string;
  /** Base64url `d`, or an already-imported ECDSA P-256 signing key. */
  privateKey: string | CryptoKey;
  /** RFC 8292 §2.1 contact: a mailto: or https: URI. */
  subject: string;
  /** Clock, unix ms. Default Date.now. */
  now?: () => number;
}

/** Generates a VAPID key pair (at site creation). */
export async function generateVapidKeys(): Promise<VapidKeys> {
  const pair = (await crypto.subtle.generateKey(ECDSA_P256, true, ["sign", "verify"])) as CryptoKeyPair;
  const [raw, jwk] = await Promise.all([
    crypto.subtle.exportKey("raw", pair.publicKey) as Promise<ArrayBuffer>,
    crypto.subtle.exportKey("jwk", pair.privateKey) as Promise<JsonWebKey>,
  ]);
  return { publicKey: encodeBase64Url(raw), privateKey: jwk.d! };
}

/** Imports a VAPID private key from base64url `d` plus its public point (JWK needs x, y). */
export async function importVapidPrivateKey(publicKey: string, d: string): Promise<CryptoKey> {
  const pub = decodeBase64Url(publicKey);
  if (pub.length !== 65 || pub[0] !== 0x04) throw new TypeError("VAPID public key is not an uncompressed P-256 point");
  if (decodeBase64Url(d).length !== 32) throw new TypeError("VAPID private key is not 32 bytes");
  const jwk: JsonWebKey = {
    kty: "EC",
    crv: "P-256",
    x: encodeBase64Url(pub.subarray(1, 33)),
    y: encodeBase64Url(pub.subarray(33, 65)),
    d,
    ext: false,
  };
  return crypto.subtle.importKey("jwk", jwk, ECDSA_P256, false, ["sign"]);
}

interface CachedHeader {
  /** Unix seconds after which the header must be re-signed (exp − margin). */
  refreshAtS: number;
  header: Promise<string>;
}

/** A per-site signer; see the file header. */
export function createVapidSigner(opts: VapidSignerOptions): VapidSigner {
  const now = opts.now ?? Date.now;
  if (!/^(mailto:|https:)/.test(opts.subject)) throw new TypeError("VAPID subject must be a mailto: or https: URI");
  const keyPromise =
    typeof opts.privateKey === "string"
      ? importVapidPrivateKey(opts.publicKey, opts.privateKey)
      : Promise.resolve(opts.privateKey);
  // Surface import errors at the first authorizationFor, not as an unhandled rejection.
  keyPromise.catch(() => {});
  const cache = new Map<string, CachedHeader>();
  const k = opts.publicKey;

  async function sign(aud: string, expS: number): Promise<string> {
    const claims = encodeBase64UrlText(JSON.stringify({ aud, exp: expS, sub: opts.subject }));
    const signingInput = `${JWT_HEADER}.${claims}`;
    // WebCrypto ECDSA yields r|s (IEEE P1363), exactly the JWS ES256 form (RFC 7518 §3.4).
    const sig = await crypto.subtle.sign(ES256, await keyPromise, new TextEncoder().encode(signingInput));
    return `vapid t=${signingInput}.${encodeBase64Url(sig)}, k=${k}`;
  }

  return {
    authorizationFor(endpoint: string): Promise<string> {
      const aud = new URL(endpoint).origin; // RFC 8292 §2: aud is the push resource's origin
      const nowS = Math.floor(now() / 1000);
      const hit = cache.get(aud);
      if (hit && nowS < hit.refreshAtS) return hit.header;
      const expS = nowS + VAPID_JWT_TTL_S;
      const header = sign(aud, expS);
      if (cache.size >= VAPID_CACHE_MAX_ORIGINS && !hit) cache.clear();
      const entry = { refreshAtS: expS - VAPID_JWT_REFRESH_MARGIN_S, header };
      cache.set(aud, entry);
      // A failed signature must not be served from cache forever.
      header.catch(() => {
        if (cache.get(aud) === entry) cache.delete(aud);
      });
      return header;
    },
  };
}
