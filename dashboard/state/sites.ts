// The signed-in user's sites and the one being worked on, with what the user's role allows
// there (mirrors workers/services/access.ts so the UI never offers a forbidden action).
// Settings are completed with the platform defaults on the way in: a site stored before a
// setting existed (currency, soft_prompt …) reads like a new one, and no page trips on it.
import { computed, signal } from "@preact/signals";
import { DEFAULT_SITE_SETTINGS } from "../../workers/config";
import { api } from "../api";
import type { Role, Site } from "../types";

export const sites = signal<Site[] | null>(null);
export const currentSite = signal<Site | null>(null);

const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };
const LEAST_ROLE = {
  "drafts:write": "member",
  send: "admin",
  "settings:write": "admin",
  "api_keys:manage": "admin",
  "subscribers:write": "admin",
  "team:manage": "owner",
  "site:delete": "owner",
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof LEAST_ROLE;

export const currentRole = computed<Role | null>(() => currentSite.value?.role ?? null);

export function can(permission: Permission): boolean {
  const role = currentRole.value;
  return role !== null && RANK[role] >= RANK[LEAST_ROLE[permission]];
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
