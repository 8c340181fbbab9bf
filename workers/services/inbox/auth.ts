// Who is calling the end-user inbox API: a browser that presents the site's public key, the
// user's external id and user_hash = hex HMAC-SHA256(identity secret, external_id) computed by
// the site's backend (lib/identity.ts). A hash is valid for one site only: it is checked with
// that site's secrets, and the verified user is (site id, external id) — another site's object.
// Each isolate caches a site (by key) with its opened identity secrets for INBOX_AUTH_CACHE_MS,
// so a call costs no D1 read and no unseal.
import { INBOX_AUTH_CACHE_MAX_SITES, INBOX_AUTH_CACHE_MS } from "../../config";
import { findSiteByKey, type SiteRow } from "../../db/queries/sites";
import { ApiError } from "../../errors";
import { verifyIdentityHash } from "../../lib/identity";
import type { Deps } from "../deps";
import { activeSecrets } from "../identity";

interface CachedSite {
  site: SiteRow | null;
  secrets: string[];
  at: number;
}
const cache = new Map<string, CachedSite>();

async function siteWithSecrets(deps: Deps, siteKey: string): Promise<CachedSite> {
  const now = deps.now();
  const hit = cache.get(siteKey);
  if (hit && now - hit.at < INBOX_AUTH_CACHE_MS) return hit;
  const site = (await findSiteByKey(deps.db, siteKey)) ?? null;
  const entry = { site, secrets: site ? await activeSecrets(deps, site.id) : [], at: now };
  cache.delete(siteKey);
  cache.set(siteKey, entry);
  if (cache.size > INBOX_AUTH_CACHE_MAX_SITES) cache.delete(cache.keys().next().value!);
  return entry;
}

/** Forgets what this isolate cached (tests that rotate a secret or delete a site). */
export const clearInboxAuthCache = () => cache.clear();

export interface InboxCredentials {
  siteKey: string | undefined;
  externalId: string | undefined;
  userHash: string | undefined;
}

/** External ids are the site's own user ids (routes/users.ts): 1–200 printable characters. */
const EXTERNAL_ID = /^[^\u0000-\u001f\u007f]{1,200}$/;

type Names = { siteKey: string; externalId: string; userHash: string };

/** The site the credentials name, with its secrets: unauthorized (401: missing), validation_failed
 *  (400: malformed external id) or not_found (404: unknown site key). */
export async function inboxSite(deps: Deps, creds: InboxCredentials, names: Names) {
  if (!creds.siteKey) throw new ApiError("unauthorized", `Pass the site's key as ${names.siteKey}.`, [{ path: names.siteKey, message: "Required." }]);
  if (!creds.externalId) throw new ApiError("unauthorized", `Pass the user's external id as ${names.externalId}.`, [{ path: names.externalId, message: "Required." }]);
  if (!EXTERNAL_ID.test(creds.externalId)) {
    throw new ApiError("validation_failed", `${names.externalId} must be 1 to 200 printable characters.`, [{ path: names.externalId, message: "Must be 1 to 200 printable characters." }]);
  }
  const entry = creds.siteKey.length <= 64 ? await siteWithSecrets(deps, creds.siteKey) : null;
  if (!entry?.site) throw new ApiError("not_found", "Unknown site key.", [{ path: names.siteKey, message: "Unknown site key." }]);
  return { site: entry.site, secrets: entry.secrets, externalId: creds.externalId };
}

/** identity_unverified (403) unless the user hash signs the external id under this site's secrets. */
export async function assertUserHash(secrets: string[], externalId: string, userHash: string | undefined, names: Names): Promise<void> {
  if (userHash && (await verifyIdentityHash(secrets, externalId, userHash))) return;
  throw new ApiError(
    "identity_unverified",
    userHash
      ? `${names.userHash} does not sign this external id for this site: compute it on your server as the hex HMAC-SHA256 of the external id with the site's identity secret.`
      : `Pass ${names.userHash}: the hex HMAC-SHA256 of the external id with the site's identity secret, computed on your server.`,
    [{ path: names.userHash, message: userHash ? "Does not match the external id." : "Required." }],
  );
}

/** The origins a site's pages may call from: its allowed_origins (else its own URL's origin), plus
 *  Herald's own (the demo page) — the rule of the public subscribe routes (routes/public.ts). */
export function allowedOrigins(site: SiteRow, requestOrigin: string, publicUrl: string | undefined): string[] {
  const configured = site.settings.allowed_origins ?? [];
  return [...(configured.length ? configured : [new URL(site.url).origin]), requestOrigin, ...(publicUrl ? [publicUrl] : [])];
}
