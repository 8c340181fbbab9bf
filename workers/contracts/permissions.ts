// Who may do what on a site: the roles and their order, the API key scopes, and the one
// permission table. The Worker enforces it (services/access.ts authorize); the dashboard
// reads it to offer only the actions the API will accept (dashboard/state/sites.ts can).
// Plain data and pure functions — no zod, no D1 — so the dashboard's initial bundle can
// carry it. A permission's least role or scope changes here, once, for both.
import type { Role as StoredRole } from "../db/schema";

/** Highest first, as offered when inviting someone. */
export const ROLES = ["owner", "admin", "member"] as const;
export type Role = (typeof ROLES)[number];
// db/schema.ts types the stored column; both must name the same roles.
true satisfies ([Role, StoredRole] extends [StoredRole, Role] ? true : never);

export const ROLE_RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

/** What each role is for, in a few words (the invitation form). Keep in step with PERMISSIONS. */
export const ROLE_SUMMARIES: Record<Role, string> = {
  member: "read everything, write drafts",
  admin: "send, settings, API keys",
  owner: "everything, including the team",
};

export const API_KEY_SCOPES = [
  "send",
  "notifications:read",
  "notifications:write",
  "subscribers:read",
  "subscribers:write",
  "users:read",
  "users:write",
  "templates:read",
  "templates:write",
  "integrations:read",
  "integrations:write",
  "webhooks:read",
  "webhooks:write",
  "analytics:read",
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What a scope lets a key do, as the person creating the key reads it. */
export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = {
  send: "Send notifications",
  "notifications:read": "Read notifications",
  "notifications:write": "Create and edit notifications",
  "subscribers:read": "Read subscribers",
  "subscribers:write": "Edit and delete subscribers",
  "users:read": "Read users and their devices",
  "users:write": "Create, edit and erase users; register devices",
  "templates:read": "Read and preview message templates",
  "templates:write": "Create, edit, publish and delete message templates",
  "integrations:read": "Read provider integrations (never their credentials)",
  "integrations:write": "Add, change, test and delete provider integrations",
  "webhooks:read": "Read webhook endpoints and their delivery log (never their secrets)",
  "webhooks:write": "Add, change, test and delete webhook endpoints; rotate secrets; replay deliveries",
  "analytics:read": "Read analytics",
};

/** Each permission: the least role that has it, and the API key scope that grants it (null: users only). */
export const PERMISSIONS = {
  "site:read": { role: "member", scope: "any" },
  "notifications:read": { role: "member", scope: "notifications:read" },
  // Drafts only: a scheduled notification goes out by itself, so changing, unscheduling or
  // deleting one needs notifications:send as well (services/notifications.ts EditRights).
  "notifications:write": { role: "member", scope: "notifications:write" },
  "notifications:send": { role: "admin", scope: "send" },
  "subscribers:read": { role: "member", scope: "subscribers:read" },
  "subscribers:write": { role: "admin", scope: "subscribers:write" },
  "users:read": { role: "member", scope: "users:read" },
  "users:write": { role: "admin", scope: "users:write" },
  "templates:read": { role: "member", scope: "templates:read" },
  // Members edit drafts; publishing (or rolling back, or deleting) changes what sends say, like sending.
  "templates:write": { role: "member", scope: "templates:write" },
  "templates:publish": { role: "admin", scope: "templates:write" },
  // Provider accounts with their credentials: changing one redirects a site's mail and SMS.
  "integrations:read": { role: "member", scope: "integrations:read" },
  "integrations:write": { role: "admin", scope: "integrations:write" },
  // Where the site's events go and with what secret: changing one redirects its data.
  "webhooks:read": { role: "member", scope: "webhooks:read" },
  "webhooks:write": { role: "admin", scope: "webhooks:write" },
  "analytics:read": { role: "member", scope: "analytics:read" },
  // A site's notification categories (issue #9 §3): a required one reaches users who opted out,
  // so defining them is an admin's, like sending.
  "categories:read": { role: "member", scope: "notifications:read" },
  "categories:write": { role: "admin", scope: "notifications:write" },
  "settings:write": { role: "admin", scope: null },
  "api_keys:read": { role: "admin", scope: null },
  "api_keys:write": { role: "admin", scope: null },
  "members:read": { role: "member", scope: null },
  "members:write": { role: "owner", scope: null },
  "site:delete": { role: "owner", scope: null },
} as const satisfies Record<string, { role: Role; scope: ApiKeyScope | "any" | null }>;
export type Permission = keyof typeof PERMISSIONS;

/** Whether a signed-in user with `role` on the site has `permission` (no role: nothing). */
export function roleCan(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && ROLE_RANK[role] >= ROLE_RANK[PERMISSIONS[permission].role];
}

/** Whether an API key with `scopes` has `permission`. */
export function scopesCan(scopes: readonly string[], permission: Permission): boolean {
  const { scope } = PERMISSIONS[permission];
  return scope === "any" || (scope !== null && scopes.includes(scope));
}
