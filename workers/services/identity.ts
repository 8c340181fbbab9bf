// Sites' identity secrets: created with the site, shown once (on creation and on each
// rotation), sealed at rest with the master key like the VAPID key, rotatable with a
// grace period for the previous secret. verifyIdentity is the one gate every path that
// accepts an external_id from a browser goes through (subscribe now, the inbox later).
import { IDENTITY_PREVIOUS_SECRET_GRACE_MS, IDENTITY_SECRET_BYTES, IDENTITY_SECRET_PREFIX } from "../config";
import * as q from "../db/queries/identity";
import { ApiError } from "../errors";
import { masterKeyRing, open, seal, type MasterKeyRing } from "../lib/envelope";
import { verifyIdentityHash } from "../lib/identity";
import { randomSecret } from "../lib/tokens";
import type { IdentityStatus, IssuedSecret } from "../contracts/identity";
import type { Deps } from "./deps";

export const IDENTITY_PURPOSE = "identity_secret";
const binding = (siteId: string) => ({ siteId, purpose: IDENTITY_PURPOSE });

const statusOf = (row: q.IdentitySecretRow | undefined, now: number): IdentityStatus => ({
  configured: !!row,
  hint: row?.hint ?? null,
  created_at: row?.createdAt ?? null,
  previous_valid_until: row?.previousEnc && (row.previousExpiresAt ?? 0) > now ? row.previousExpiresAt : null,
});

/** A fresh secret and its row, for a new site (inserted with it) or a rotation. */
export async function newIdentitySecret(ring: MasterKeyRing, siteId: string, now: number) {
  const secret = randomSecret(IDENTITY_SECRET_PREFIX, IDENTITY_SECRET_BYTES);
  const row: q.IdentitySecretRow = {
    siteId,
    secretEnc: await seal(ring, secret, binding(siteId)),
    hint: secret.slice(-4),
    createdAt: now,
    previousEnc: null,
    previousExpiresAt: null,
  };
  return { secret, row };
}

export async function identityStatus(deps: Deps, siteId: string): Promise<IdentityStatus> {
  return statusOf(await q.findIdentitySecret(deps.db, siteId), deps.now());
}

/** Issues a new secret; the current one (if any) keeps verifying for the grace period. */
export async function rotateIdentitySecret(deps: Deps, siteId: string): Promise<IssuedSecret> {
  const now = deps.now();
  const ring = await masterKeyRing(deps.env.MASTER_KEYS);
  const current = await q.findIdentitySecret(deps.db, siteId);
  const { secret, row } = await newIdentitySecret(ring, siteId, now);
  if (current) {
    // Re-seal the outgoing secret under the newest master key while we hold it open.
    row.previousEnc = await seal(ring, await open(ring, current.secretEnc, binding(siteId)), binding(siteId));
    row.previousExpiresAt = now + IDENTITY_PREVIOUS_SECRET_GRACE_MS;
  }
  await q.rotateIdentitySecret(deps.db, row);
  return { ...statusOf(row, now), secret };
}

/** The secrets that verify right now: the current one, plus the previous during its grace period. */
export async function activeSecrets(deps: Deps, siteId: string): Promise<string[]> {
  const row = await q.findIdentitySecret(deps.db, siteId);
  if (!row) return [];
  const ring = await masterKeyRing(deps.env.MASTER_KEYS);
  const secrets = [await open(ring, row.secretEnc, binding(siteId))];
  if (row.previousEnc && (row.previousExpiresAt ?? 0) > deps.now()) secrets.push(await open(ring, row.previousEnc, binding(siteId)));
  return secrets;
}

/** Throws identity_unverified (403) unless `hash` is the site's signature of `externalId`. */
export async function verifyIdentity(deps: Deps, siteId: string, externalId: string, hash: string | undefined | null, field = "external_id_hash") {
  if (hash && (await verifyIdentityHash(await activeSecrets(deps, siteId), externalId, hash))) return;
  throw new ApiError(
    "identity_unverified",
    hash
      ? "external_id_hash does not match external_id: compute it on your server as the HMAC-SHA256 of the external id with this site's identity secret."
      : undefined,
    [{ path: field, message: hash ? "Does not match external_id." : "Required when external_id is set." }],
  );
}

/** Re-seals identity secrets under the newest master key (services/secrets.ts drives the paging). */
export async function resealIdentitySecret(ring: MasterKeyRing, row: q.IdentitySecretRow) {
  const b = binding(row.siteId);
  return {
    secretEnc: await seal(ring, await open(ring, row.secretEnc, b), b),
    previousEnc: row.previousEnc ? await seal(ring, await open(ring, row.previousEnc, b), b) : null,
  };
}
