// Sites (tenants): creation with the creator as owner and a fresh VAPID key pair
// (private key sealed at rest), settings, deletion.
import { DEFAULT_SITE_SETTINGS } from "../config";
import { listSitesForUser } from "../db/queries/members";
import * as q from "../db/queries/sites";
import type { Role, SiteSettings } from "../db/schema";
import { ApiError } from "../errors";
import { masterKeyRing, open, seal } from "../lib/envelope";
import { newId, randomChars } from "../lib/ids";
import { generateVapidKeys } from "../channels/webpush/vapid";
import type { Deps } from "./deps";
import { newIdentitySecret } from "./identity";

export const VAPID_PURPOSE = "vapid_private_key";
const SITE_KEY_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export interface SiteView {
  id: string;
  name: string;
  url: string;
  site_key: string;
  settings: SiteSettings;
  vapid_public_key: string;
  vapid_warning: string | null;
  created_at: number;
  updated_at: number;
  role?: Role;
}

export type SettingsPatch = Partial<Omit<SiteSettings, "soft_prompt">> & { soft_prompt?: Partial<SiteSettings["soft_prompt"]> };

function view(site: q.SiteRow, vapidPublicKey: string, role?: Role): SiteView {
  return {
    id: site.id,
    name: site.name,
    url: site.url,
    site_key: site.siteKey,
    settings: { ...DEFAULT_SITE_SETTINGS, ...site.settings },
    vapid_public_key: vapidPublicKey,
    vapid_warning: site.vapidWarning,
    created_at: site.createdAt,
    updated_at: site.updatedAt,
    ...(role ? { role } : {}),
  };
}

export function mergeSettings(current: SiteSettings, patch: SettingsPatch): SiteSettings {
  return { ...current, ...patch, soft_prompt: { ...current.soft_prompt, ...patch.soft_prompt } };
}

export async function createSite(
  deps: Deps,
  ownerId: string,
  input: { name: string; url: string; settings?: SettingsPatch },
): Promise<SiteView & { identity_secret: string }> {
  const now = deps.now();
  const id = newId("site", now);
  const keys = await generateVapidKeys();
  const ring = await masterKeyRing(deps.env.MASTER_KEYS);
  const site: q.SiteRow = {
    id,
    name: input.name,
    url: input.url,
    siteKey: `pk_${randomChars(24, SITE_KEY_ALPHABET)}`,
    settings: mergeSettings(DEFAULT_SITE_SETTINGS, input.settings ?? {}),
    vapidWarning: null,
    createdAt: now,
    updatedAt: now,
  };
  const identity = await newIdentitySecret(ring, id, now);
  const vapid = { siteId: id, publicKey: keys.publicKey, privateKeyEnc: await seal(ring, keys.privateKey, { siteId: id, purpose: VAPID_PURPOSE }), createdAt: now };
  await q.insertSite(deps.db, site, ownerId, vapid, identity.row);
  // The identity secret is shown this once; afterwards only its last four characters.
  return { ...view(site, keys.publicKey, "owner"), identity_secret: identity.secret };
}

export async function listSites(deps: Deps, userId: string): Promise<SiteView[]> {
  return (await listSitesForUser(deps.db, userId)).map(({ site, role, vapidPublicKey }) => view(site, vapidPublicKey, role));
}

export async function getSite(deps: Deps, siteId: string, role?: Role | null): Promise<SiteView> {
  const [site, keys] = await Promise.all([q.findSite(deps.db, siteId), q.findVapidKeys(deps.db, siteId)]);
  if (!site || !keys) throw new ApiError("not_found", "Site not found.");
  return view(site, keys.publicKey, role ?? undefined);
}

export async function updateSite(
  deps: Deps,
  siteId: string,
  patch: { name?: string; url?: string; settings?: SettingsPatch },
  role?: Role | null,
): Promise<SiteView> {
  const site = await q.findSite(deps.db, siteId);
  if (!site) throw new ApiError("not_found", "Site not found.");
  await q.updateSite(deps.db, siteId, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.url !== undefined ? { url: patch.url } : {}),
    ...(patch.settings ? { settings: mergeSettings({ ...DEFAULT_SITE_SETTINGS, ...site.settings }, patch.settings) } : {}),
    updatedAt: deps.now(),
  });
  return getSite(deps, siteId, role);
}

export async function deleteSite(deps: Deps, siteId: string): Promise<void> {
  await q.deleteSite(deps.db, siteId);
}

/** The site's VAPID key pair with the private key unsealed (for the sender). */
export async function loadVapidKeys(deps: Deps, siteId: string): Promise<{ publicKey: string; privateKey: string }> {
  const row = await q.findVapidKeys(deps.db, siteId);
  if (!row) throw new ApiError("not_found", "Site not found.");
  const ring = await masterKeyRing(deps.env.MASTER_KEYS);
  return { publicKey: row.publicKey, privateKey: await open(ring, row.privateKeyEnc, { siteId, purpose: VAPID_PURPOSE }) };
}
