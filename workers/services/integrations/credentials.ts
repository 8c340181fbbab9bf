// An integration's credentials at rest: one JSON object sealed with the master key
// (lib/envelope.ts), bound to the site and to "integration:<id>" — copied into another row or
// site it no longer opens. Opened credentials are cached per isolate briefly, keyed by the row's
// id and updated_at, so a batch of sends opens them once and a rotation takes effect at once.
import { INTEGRATION_CREDENTIALS_CACHE_MAX_ENTRIES, INTEGRATION_CREDENTIALS_CACHE_MS } from "../../config";
import { masterKeyRing, open, seal, type MasterKeyRing } from "../../lib/envelope";

export const integrationPurpose = (integrationId: string) => `integration:${integrationId}`;
const binding = (siteId: string, integrationId: string) => ({ siteId, purpose: integrationPurpose(integrationId) });

export async function sealCredentials(masterKeys: string | undefined, siteId: string, integrationId: string, credentials: unknown): Promise<string> {
  return seal(await masterKeyRing(masterKeys), JSON.stringify(credentials), binding(siteId, integrationId));
}

const cache = new Map<string, { value: unknown; expiresAt: number }>();

/** The row's credentials as stored (parse them with the provider's schema before use). */
export async function openCredentials(
  masterKeys: string | undefined,
  row: { id: string; siteId: string; credentialsEnc: string; updatedAt: number },
  now: number,
): Promise<unknown> {
  const key = `${row.id}:${row.updatedAt}`;
  const hit = cache.get(key);
  if (hit && hit.expiresAt > now) return hit.value;
  const value: unknown = JSON.parse(await open(await masterKeyRing(masterKeys), row.credentialsEnc, binding(row.siteId, row.id)));
  cache.delete(key);
  if (cache.size >= INTEGRATION_CREDENTIALS_CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { value, expiresAt: now + INTEGRATION_CREDENTIALS_CACHE_MS });
  return value;
}

/** Re-seals one row's credentials under the ring's newest key (services/secrets.ts pages). */
export async function resealCredentials(ring: MasterKeyRing, row: { id: string; siteId: string; credentialsEnc: string }): Promise<string> {
  const b = binding(row.siteId, row.id);
  return seal(ring, await open(ring, row.credentialsEnc, b), b);
}
