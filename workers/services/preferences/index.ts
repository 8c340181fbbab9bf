// Users' preferences (issue #9 §3): channel switches, per-category overrides and quiet hours,
// stored per site user (site_users.preferences). Read and changed by the server API
// (…/users/{externalId}/preferences, any change) and by the end user's API (/api/inbox/
// preferences, routes/inbox.ts: a required category cannot be switched off). What they come to
// at send time is decided by decide.ts; the sender loads them per batch (services/sending).
import { CHANNEL_IDS } from "../../contracts/channels";
import type { PreferencesView, StoredPreferences, UpdatePreferencesInput } from "../../contracts/preferences";
import * as cq from "../../db/queries/categories";
import * as pq from "../../db/queries/preferences";
import { findSite } from "../../db/queries/sites";
import { ApiError, invalidField } from "../../errors";
import type { Deps } from "../deps";
import { ensureUser } from "../users";
import { isTimezone } from "./quiet-hours";

export type { PreferencesView, UpdatePreferencesInput };

function view(stored: StoredPreferences, categories: cq.CategoryRow[], siteQuietHours: PreferencesView["site_quiet_hours"]): PreferencesView {
  const switches = (pick: (c: (typeof CHANNEL_IDS)[number]) => boolean) => Object.fromEntries(CHANNEL_IDS.map((c) => [c, pick(c)])) as PreferencesView["channels"];
  return {
    channels: switches((c) => stored.channels?.[c] ?? true),
    categories: categories.map((cat) => {
      const own = stored.categories?.[cat.key];
      return {
        key: cat.key,
        name: cat.name,
        description: cat.description,
        enabled: cat.required || (own?.enabled ?? cat.defaultEnabled),
        required: cat.required,
        channels: switches((c) => cat.required || (own?.channels?.[c] ?? cat.channels[c] ?? true)),
      };
    }),
    quiet_hours: stored.quiet_hours ?? null,
    site_quiet_hours: siteQuietHours,
  };
}

async function siteContext(deps: Deps, siteId: string) {
  const [site, categories] = await Promise.all([findSite(deps.db, siteId), cq.listCategories(deps.db, siteId)]);
  if (!site) throw new ApiError("not_found", "Site not found.");
  return { categories, siteQuietHours: site.settings.quiet_hours ?? null };
}

/**
 * The user's preferences with every channel and category resolved. The server asks about users
 * that exist (404 otherwise); an end user (`asEndUser`) who has none stored yet sees the defaults.
 */
export async function getPreferences(deps: Deps, siteId: string, externalId: string, opts: { asEndUser?: boolean } = {}): Promise<PreferencesView> {
  const [user, ctx] = await Promise.all([pq.findUserPreferences(deps.db, siteId, externalId), siteContext(deps, siteId)]);
  if (!user && !opts.asEndUser) throw new ApiError("not_found", "User not found.");
  return view(user?.preferences ?? {}, ctx.categories, ctx.siteQuietHours);
}

/**
 * Merges `input` into what the user has stored. Unknown category
 * keys are refused with their field; an end user may not switch off a required category
 * (category_required) — the server may set anything (decide.ts ignores opt-outs of required
 * categories anyway).
 */
export async function updatePreferences(
  deps: Deps,
  siteId: string,
  externalId: string,
  input: UpdatePreferencesInput,
  opts: { asEndUser: boolean },
): Promise<PreferencesView> {
  const [ctx, user] = await Promise.all([siteContext(deps, siteId), pq.findUserPreferences(deps.db, siteId, externalId)]);
  // The server creates users with POST …/users (as for their profile and devices): an unknown one
  // is a 404 before anything else. The end user's signed token vouches for them: their first
  // choice creates them.
  if (!user && !opts.asEndUser) throw new ApiError("not_found", "User not found.");
  const byKey = new Map(ctx.categories.map((c) => [c.key, c]));
  for (const [key, change] of Object.entries(input.categories ?? {})) {
    const cat = byKey.get(key);
    if (!cat) throw invalidField(`categories.${key}`, `The site has no category ${key}.`);
    if (!opts.asEndUser || !cat.required || !change) continue;
    const off = change.enabled === false ? "enabled" : Object.entries(change.channels ?? {}).find(([, on]) => on === false)?.[0];
    if (off) {
      const path = off === "enabled" ? `categories.${key}.enabled` : `categories.${key}.channels.${off}`;
      throw new ApiError("category_required", `${cat.name} is required: it cannot be switched off.`, [{ path, message: "Required category." }]);
    }
  }
  const tz = input.quiet_hours?.timezone;
  if (tz !== undefined && !isTimezone(tz)) throw invalidField("quiet_hours.timezone", "Unknown IANA timezone.");

  if (!user) await ensureUser(deps, siteId, externalId);
  // A merge patch merges objects: a new window replaces the old one whole (its timezone too).
  const patch = input.quiet_hours ? { ...input, quiet_hours: { timezone: null, ...input.quiet_hours } } : input;
  const stored = await pq.patchPreferences(deps.db, siteId, externalId, patch, deps.now());
  if (!stored) throw new ApiError("not_found", "User not found.");
  return view(stored, ctx.categories, ctx.siteQuietHours);
}
