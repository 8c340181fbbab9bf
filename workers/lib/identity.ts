// Identity verification: a site's backend proves that a browser belongs to the user it
// claims to be by signing the user's external_id with the site's identity secret:
//
//   user_hash = lowercase hex( HMAC-SHA256( key = UTF-8(identity secret), message = UTF-8(external_id) ) )
//
// the scheme OneSignal ("identity verification") and Novu ("HMAC encryption") use, so it is
// one line in any server language (README: Node and PHP). Herald checks it on subscribe now,
// and the in-app inbox authenticates end users with the same signature (issue #9).
import { timingSafeEqual, toHex } from "./encoding";

const enc = new TextEncoder();
/** HMAC-SHA256 is 32 bytes: 64 lowercase hex characters. */
export const IDENTITY_HASH_HEX_CHARS = 64;

async function hmac(secret: string, externalId: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(externalId)));
}

/** The user hash a site's backend computes (also used by tests and the dashboard's examples). */
export async function identityHash(secret: string, externalId: string): Promise<string> {
  return toHex(await hmac(secret, externalId));
}

/** Whether `hash` signs `externalId` under any of `secrets` (current, and the previous one during its grace period). */
export async function verifyIdentityHash(secrets: string[], externalId: string, hash: string): Promise<boolean> {
  const given = hash.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  let ok = false;
  for (const secret of secrets) ok = timingSafeEqual(enc.encode(given), enc.encode(await identityHash(secret, externalId))) || ok;
  return ok;
}
