// Who is calling and what they may do. A principal is either a signed-in user
// (JWT) or a server holding a site API key. Site-scoped routes resolve a SiteAccess
// and then call `authorize(access, permission)`; anything a caller cannot see at all
// answers 404, exactly as an id that does not exist (no tenant enumeration).
import { API_KEY_PREFIX, API_KEY_TOUCH_INTERVAL_MS } from "../config";
import { type Permission, roleCan, scopesCan } from "../contracts/permissions";
import { findApiKeyByHash, touchApiKey } from "../db/queries/api-keys";
import { findMembership } from "../db/queries/members";
import type { Role } from "../db/schema";
import { ApiError } from "../errors";
import { sha256Hex } from "../lib/encoding";
import { verifyAccessToken } from "../lib/tokens";
import type { Deps } from "./deps";
import { assertSessionAlive } from "./sessions";

export type Principal =
  | { kind: "user"; userId: string }
  | { kind: "api_key"; keyId: string; siteId: string; scopes: string[] };

export interface SiteAccess {
  siteId: string;
  principal: Principal;
  role: Role | null; // null for API keys
}

// The tables and the pure rules live in contracts/permissions.ts (the dashboard reads them
// too); re-exported here for the routes and services that import them from access.
export { API_KEY_SCOPES, PERMISSIONS, type ApiKeyScope, type Permission } from "../contracts/permissions";

export function can(access: SiteAccess, permission: Permission): boolean {
  if (access.principal.kind === "api_key") return scopesCan(access.principal.scopes, permission);
  return roleCan(access.role, permission);
}

export function authorize(access: SiteAccess, permission: Permission): void {
  if (can(access, permission)) return;
  throw new ApiError(access.principal.kind === "api_key" ? "insufficient_scope" : "forbidden");
}

/** Resolves the Authorization header to a principal, or throws 401. */
export async function authenticate(deps: Deps, authorization: string | undefined): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) throw new ApiError("unauthorized");
  const token = match[1]!;
  if (token.startsWith(API_KEY_PREFIX)) {
    const key = await findApiKeyByHash(deps.db, await sha256Hex(token));
    if (!key || key.revokedAt !== null) throw new ApiError("invalid_token", "The API key is invalid or revoked.");
    const now = deps.now();
    if (key.lastUsedAt === null || now - key.lastUsedAt > API_KEY_TOUCH_INTERVAL_MS) await touchApiKey(deps.db, key.id, now);
    return { kind: "api_key", keyId: key.id, siteId: key.siteId, scopes: key.scopes };
  }
  const claims = await verifyAccessToken(deps.env, token, deps.now());
  await assertSessionAlive(deps, claims.sessionId);
  return { kind: "user", userId: claims.userId };
}

/** The caller's access to a site; 404 when they have none (or the site does not exist). */
export async function resolveSiteAccess(deps: Deps, principal: Principal, siteId: string): Promise<SiteAccess> {
  if (principal.kind === "api_key") {
    if (principal.siteId !== siteId) throw new ApiError("not_found", "Site not found.");
    return { siteId, principal, role: null };
  }
  const membership = await findMembership(deps.db, siteId, principal.userId);
  if (!membership) throw new ApiError("not_found", "Site not found.");
  return { siteId, principal, role: membership.role };
}

export const requireUser = (principal: Principal): string => {
  if (principal.kind !== "user") throw new ApiError("forbidden", "This endpoint needs a user session, not an API key.");
  return principal.userId;
};
