// Access tokens are HS256 JWTs (jose) signed with JWT_SECRET: algorithm pinned,
// issuer and audience checked, ≤ 15 min from iat, naming their session (sid). Refresh tokens are opaque random strings;
// only their SHA-256 is stored (services/auth.ts rotates them).
import { SignJWT, jwtVerify } from "jose";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_CLOCK_SKEW_S, ACCESS_TOKEN_TTL_S } from "../config";
import { ApiError } from "../errors";
import { fromBase64, timingSafeEqual, toBase64Url } from "./encoding";

export interface TokenEnv {
  JWT_SECRET: string;
  JWT_ISSUER: string;
}

const keyCache = new Map<string, Uint8Array>();
function secretKey(env: TokenEnv): Uint8Array {
  let key = keyCache.get(env.JWT_SECRET);
  if (!key) {
    key = fromBase64(env.JWT_SECRET);
    if (key.length < 32) throw new Error("JWT_SECRET must be base64 of at least 32 bytes");
    keyCache.set(env.JWT_SECRET, key);
  }
  return key;
}

/** `sessionId` is the refresh-token family the token was issued from (claim `sid`). */
export async function signAccessToken(env: TokenEnv, userId: string, sessionId: string, nowMs = Date.now()): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer(env.JWT_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_S)
    .sign(secretKey(env));
}

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/**
 * The user and session of a valid access token, or throws invalid_token. Besides signature,
 * algorithm, issuer, audience and exp, the token's age counts: it dies ACCESS_TOKEN_TTL_S after
 * its iat however far away its exp is, and a token claiming a longer life is refused outright.
 */
export async function verifyAccessToken(env: TokenEnv, token: string, nowMs = Date.now()): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, secretKey(env), {
      algorithms: ["HS256"],
      issuer: env.JWT_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      requiredClaims: ["sub", "exp", "iat", "sid"],
      maxTokenAge: ACCESS_TOKEN_TTL_S,
      currentDate: new Date(nowMs),
    });
    const { iat, exp, sid, sub } = payload as { iat: number; exp: number; sid: unknown; sub: string };
    if (exp - iat > ACCESS_TOKEN_TTL_S || iat * 1000 > nowMs + ACCESS_TOKEN_CLOCK_SKEW_S * 1000) throw new Error("lifetime");
    if (typeof sid !== "string" || !sid) throw new Error("sid");
    return { userId: sub, sessionId: sid };
  } catch {
    throw new ApiError("invalid_token");
  }
}

/** An opaque bearer secret: `<prefix><base64url random>`. */
export function randomSecret(prefix: string, bytes: number): string {
  return prefix + toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Constant-time check of an `Authorization: Bearer <secret>` header against an operator secret. */
export function bearerMatches(header: string | undefined, secret: string | undefined): boolean {
  if (!secret) return false;
  const enc = new TextEncoder();
  return timingSafeEqual(enc.encode(header ?? ""), enc.encode(`Bearer ${secret}`));
}
