// Accounts and sessions: registration, login, refresh-token rotation with reuse
// detection (a rotated token presented again revokes its whole family), logout.
import { REFRESH_TOKEN_TTL_MS, ACCESS_TOKEN_TTL_S } from "../config";
import {
  findRefreshToken,
  findUserByEmail,
  findUserById,
  insertRefreshToken,
  insertUser,
  markRefreshTokenRotated,
  type UserRow,
} from "../db/queries/users";
import { ApiError } from "../errors";
import { sha256Hex } from "../lib/encoding";
import { newId } from "../lib/ids";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../lib/password";
import { randomSecret, signAccessToken } from "../lib/tokens";
import type { Deps } from "./deps";
import { endSession } from "./sessions";
import { listSites } from "./sites";

export interface Session {
  user: PublicUser;
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
}
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  created_at: number;
}

export const publicUser = (u: UserRow): PublicUser => ({ id: u.id, email: u.email, name: u.name, created_at: u.createdAt });
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function register(deps: Deps, input: { email: string; password: string; name: string }): Promise<Session> {
  const email = normaliseEmail(input.email);
  if (await findUserByEmail(deps.db, email)) {
    throw new ApiError("email_taken", undefined, [{ path: "email", message: "Already registered." }]);
  }
  const now = deps.now();
  const user: UserRow = {
    id: newId("usr", now),
    email,
    name: input.name.trim(),
    passwordHash: await hashPassword(input.password),
    createdAt: now,
    updatedAt: now,
  };
  try {
    await insertUser(deps.db, user);
  } catch (err) {
    // Two registrations raced past the check above; the unique index decided.
    if (String(err).includes("UNIQUE")) throw new ApiError("email_taken");
    throw err;
  }
  return startSession(deps, user);
}

export async function login(deps: Deps, input: { email: string; password: string }): Promise<Session> {
  const user = await findUserByEmail(deps.db, normaliseEmail(input.email));
  // Verify against a dummy hash for unknown emails so response time does not reveal accounts.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok) throw new ApiError("invalid_credentials");
  return startSession(deps, user);
}

async function startSession(deps: Deps, user: UserRow): Promise<Session> {
  const sessionId = newId("rtf", deps.now());
  const refresh = await issueRefreshToken(deps, sessionId, user.id);
  return sessionFor(deps, user, sessionId, refresh);
}

async function sessionFor(deps: Deps, user: UserRow, sessionId: string, refreshToken: string): Promise<Session> {
  return {
    user: publicUser(user),
    access_token: await signAccessToken(deps.env, user.id, sessionId, deps.now()),
    refresh_token: refreshToken,
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_TTL_S,
  };
}

async function issueRefreshToken(deps: Deps, familyId: string, newFamilyForUser?: string): Promise<string> {
  const token = randomSecret("hr_", 32);
  const now = deps.now();
  await insertRefreshToken(
    deps.db,
    { id: newId("rt", now), familyId, tokenHash: await sha256Hex(token), createdAt: now, expiresAt: now + REFRESH_TOKEN_TTL_MS },
    newFamilyForUser,
  );
  return token;
}

export async function refresh(deps: Deps, refreshToken: string): Promise<Session> {
  const found = await findRefreshToken(deps.db, await sha256Hex(refreshToken));
  if (!found) throw new ApiError("invalid_token");
  const { token, family } = found;
  const now = deps.now();
  if (family.revokedAt !== null || token.expiresAt <= now) throw new ApiError("invalid_token");
  if (token.rotatedAt !== null || !(await markRefreshTokenRotated(deps.db, token.id, now))) {
    await endSession(deps, family.id, "reuse_detected");
    throw new ApiError("refresh_token_reused");
  }
  const user = await findUserById(deps.db, family.userId);
  if (!user) throw new ApiError("invalid_token");
  return sessionFor(deps, user, family.id, await issueRefreshToken(deps, family.id));
}

/** The signed-in user and their sites (GET /api/me). */
export async function getMe(deps: Deps, userId: string) {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new ApiError("invalid_token");
  return { user: publicUser(user), sites: await listSites(deps, userId) };
}

/** Ends the session the refresh token belongs to. Unknown tokens are ignored (logout is idempotent). */
export async function logout(deps: Deps, refreshToken: string): Promise<void> {
  const found = await findRefreshToken(deps.db, await sha256Hex(refreshToken));
  if (found) await endSession(deps, found.family.id, "logout");
}
