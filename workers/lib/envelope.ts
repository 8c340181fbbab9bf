// Secrets at rest (VAPID private keys now, provider credentials later) are sealed
// with AES-256-GCM under a master key held in the MASTER_KEYS Worker secret.
//
// Envelope text: "env1.<keyVersion>.<iv b64url>.<ciphertext+tag b64url>".
// The associated data binds the ciphertext to its row ("<purpose>:<siteId>"), so a
// value copied into another row or used for another purpose fails to decrypt.
// MASTER_KEYS = "1:<base64 32 bytes>,2:<base64 32 bytes>": the highest version
// encrypts, every listed version decrypts; services/secrets.ts re-seals old rows.
import { fromBase64, fromBase64Url, toBase64Url } from "./encoding";

export interface SecretBinding {
  siteId: string;
  purpose: string; // e.g. "vapid_private_key"
}

export interface MasterKeyRing {
  current: number;
  keys: Map<number, CryptoKey>;
}

const ringCache = new Map<string, Promise<MasterKeyRing>>();

/** Parses MASTER_KEYS once per isolate (the import is the expensive part). */
export function masterKeyRing(masterKeys: string | undefined): Promise<MasterKeyRing> {
  const spec = (masterKeys ?? "").trim();
  let ring = ringCache.get(spec);
  if (!ring) {
    ring = parseRing(spec);
    ringCache.set(spec, ring);
    ring.catch(() => ringCache.delete(spec));
  }
  return ring;
}

async function parseRing(spec: string): Promise<MasterKeyRing> {
  if (!spec) throw new Error("MASTER_KEYS is not configured");
  const keys = new Map<number, CryptoKey>();
  for (const part of spec.split(",")) {
    const [versionText, b64] = part.trim().split(":");
    const version = Number(versionText);
    let raw: Uint8Array<ArrayBuffer> = new Uint8Array();
    try {
      raw = b64 ? fromBase64(b64) : raw;
    } catch {
      /* reported below */
    }
    if (!Number.isInteger(version) || version < 1 || raw.length !== 32) {
      throw new Error(`MASTER_KEYS entry "${versionText}" must be "<version ≥ 1>:<base64 of 32 bytes>"`);
    }
    keys.set(version, await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
  }
  return { current: Math.max(...keys.keys()), keys };
}

const aad = (b: SecretBinding) => new TextEncoder().encode(`herald:${b.purpose}:${b.siteId}`);

export async function seal(ring: MasterKeyRing, plaintext: string, binding: SecretBinding): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = ring.keys.get(ring.current)!;
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(binding) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return `env1.${ring.current}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ct))}`;
}

export function envelopeVersion(envelope: string): number {
  const [tag, version] = envelope.split(".");
  if (tag !== "env1") throw new Error("not a Herald envelope");
  return Number(version);
}

export async function open(ring: MasterKeyRing, envelope: string, binding: SecretBinding): Promise<string> {
  const [, versionText, ivText, ctText] = envelope.split(".");
  const version = envelopeVersion(envelope);
  const key = ring.keys.get(version);
  if (!key || !ivText || !ctText) throw new Error(`no master key version ${versionText} configured`);
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64Url(ivText), additionalData: aad(binding) },
    key,
    fromBase64Url(ctText),
  );
  return new TextDecoder().decode(pt);
}
