// The signed-in user's sites and the one being worked on, with what the user's role allows
// there (the Worker's own table, workers/contracts/permissions.ts, so the UI never offers an
// action the API would refuse).
// Settings are completed with the platform defaults on the way in: a site stored before a
// setting existed (currency, soft_prompt …) reads like a new one, and no page trips on it.
import { computed, signal } from "@preact/signals";
import { DEFAULT_SITE_SETTINGS } from "../../workers/config";
import { type Permission, roleCan } from "../../workers/contracts/permissions";
import { api } from "../api";
import type { Role, Site } from "../types";

export const sites = signal<Site[] | null>(null);
export const currentSite = signal<Site | null>(null);
/** The identity secret of the site just created (POST /api/sites shows it once), handed from
 *  the create form to the page it lands on, which takes it into its own state and clears this.
 *  Memory only: never stored, gone on reload. */
export const newSiteSecret = signal<{ siteId: string; secret: string } | null>(null);

export type { Permission };

export const currentRole = computed<Role | null>(() => currentSite.value?.role ?? null);

/** Whether the signed-in user's role on the current site has `permission`. */
export function can(permission: Permission): boolean {
  return roleCan(currentRole.value, permission);
}

export function withDefaults(site: Site): Site {
  const s = site.settings ?? {};
  return {
    ...site,
    settings: {
      ...DEFAULT_SITE_SETTINGS,
      ...s,
      allowed_origins: Array.isArray(s.allowed_origins) ? s.allowed_origins : [],
      soft_prompt: { ...DEFAULT_SITE_SETTINGS.soft_prompt, ...s.soft_prompt },
    },
  };
}

export async function loadSites() {
  const data = (await api.sites()).data.map(withDefaults);
  sites.value = data;
  return data;
}

export async function loadSite(siteId: string) {
  if (currentSite.value?.id !== siteId) currentSite.value = null;
  const site = withDefaults(await api.site(siteId));
  currentSite.value = site;
  return site;
}

export function siteUpdated(updated: Site) {
  const site = withDefaults(updated);
  currentSite.value = { ...site, role: site.role ?? currentSite.value?.role };
  if (sites.value) sites.value = sites.value.map((s) => (s.id === site.id ? { ...s, ...site } : s));
  return site;
}
