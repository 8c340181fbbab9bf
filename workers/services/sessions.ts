// Whether a sign-in session (a refresh-token family) is still alive, for every request that
// carries an access token. Logout and refresh-token reuse revoke the family; its access tokens
// then stop working — at once in the isolate that revoked it, and within SESSION_CHECK_CACHE_MS
// everywhere else (the answer is cached per isolate so most requests cost no D1 read).
import { SESSION_CHECK_CACHE_MS } from "../config";
import { findFamily, revokeFamily } from "../db/queries/users";
import { ApiError } from "../errors";
import type { Deps } from "./deps";

/** Bounds the per-isolate cache; beyond it the cache starts over (cheap, and only costs reads). */
const MAX_CACHED_SESSIONS = 10_000;
const cache = new Map<string, { alive: boolean; checkedAt: number }>();

export async function assertSessionAlive(deps: Deps, sessionId: string): Promise<void> {
  const now = deps.now();
  let entry = cache.get(sessionId);
  if (!entry || now - entry.checkedAt >= SESSION_CHECK_CACHE_MS || now < entry.checkedAt) {
    const family = await findFamily(deps.db, sessionId);
    entry = { alive: !!family && family.revokedAt === null, checkedAt: now };
    if (cache.size >= MAX_CACHED_SESSIONS) cache.clear();
    cache.set(sessionId, entry);
  }
  if (!entry.alive) throw new ApiError("invalid_token", "This session has ended; sign in again.");
}

/** Revokes a session and forgets it here at once. */
export async function endSession(deps: Deps, sessionId: string, reason: "logout" | "reuse_detected") {
  await revokeFamily(deps.db, sessionId, reason, deps.now());
  cache.set(sessionId, { alive: false, checkedAt: deps.now() });
}
