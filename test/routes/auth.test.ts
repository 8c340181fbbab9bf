import { env } from "cloudflare:workers";
import { SignJWT, decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_TTL_S, PBKDF2_ITERATIONS, PBKDF2_MAX_ITERATIONS, REFRESH_LIMIT_PER_IP, SESSION_CHECK_CACHE_MS } from "../../workers/config";
import { fromBase64 } from "../../workers/lib/encoding";
import { hashPassword, passwordIterations, verifyPassword } from "../../workers/lib/password";
import { makeDeps } from "../../workers/services/deps";
import { assertSessionAlive } from "../../workers/services/sessions";
import { call, freshIp, registerUser, uniqueEmail } from "../helpers";

describe("accounts", () => {
  it("registers, then signs in with the same password and reads /api/me", async () => {
    const u = await registerUser("ada");
    expect(u.user.email).toBe(u.email);
    const login = await call("POST", "/api/auth/login", { body: { email: u.email.toUpperCase(), password: u.password } });
    expect(login.status).toBe(200);
    expect(login.body.expires_in).toBeLessThanOrEqual(15 * 60);
    expect(login.headers.get("Set-Cookie")).toMatch(/herald_refresh=.*HttpOnly.*Secure.*SameSite=Strict/i);
    const me = await call("GET", "/api/me", { token: login.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(u.user.id);
    expect(me.body.sites).toEqual([]);
  });

  it("rejects a second registration with the same email", async () => {
    const u = await registerUser("dup");
    const again = await call("POST", "/api/auth/register", {
      body: { email: u.email, password: "another long password", name: "x" },
      headers: { "CF-Connecting-IP": freshIp() },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("email_taken");
  });

  it("answers a wrong password with invalid_credentials and no hint about the account", async () => {
    const u = await registerUser("wrong");
    const bad = await call("POST", "/api/auth/login", { body: { email: u.email, password: "nope nope nope" } });
    const unknown = await call("POST", "/api/auth/login", { body: { email: uniqueEmail(), password: "nope nope nope" } });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual(unknown.body);
    expect(bad.body.error.code).toBe("invalid_credentials");
  });

  it("stores PBKDF2 hashes within the Workers iteration cap", async () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(PBKDF2_MAX_ITERATIONS).toBeLessThanOrEqual(100_000);
    const row = await env.DB.prepare("select password_hash from users limit 1").first<{ password_hash: string }>();
    expect(passwordIterations(row!.password_hash)).toBeLessThanOrEqual(100_000);
    await expect(hashPassword("x", 100_001)).rejects.toThrow(/cap/);
    const h = await hashPassword("secret words");
    expect(await verifyPassword("secret words", h)).toBe(true);
    expect(await verifyPassword("secret wordz", h)).toBe(false);
  });

  it("rate-limits login attempts per email with 429 and Retry-After", async () => {
    const u = await registerUser("brute");
    let last;
    for (let i = 0; i < 12; i++) {
      last = await call("POST", "/api/auth/login", {
        body: { email: u.email, password: "wrong password" },
        headers: { "CF-Connecting-IP": freshIp() },
      });
    }
    expect(last!.status).toBe(429);
    expect(last!.body.error.code).toBe("rate_limited");
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("rate-limits login attempts per IP across emails", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const r = await call("POST", "/api/auth/login", {
        body: { email: uniqueEmail("ip"), password: "wrong password" },
        headers: { "CF-Connecting-IP": ip },
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("refresh tokens", () => {
  it("rotates on every use: the new token works, the old one no longer does", async () => {
    const u = await registerUser("rot");
    const r1 = await call("POST", "/api/auth/refresh", { body: { refresh_token: u.refresh } });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(u.refresh);
    const r2 = await call("POST", "/api/auth/refresh", { body: { refresh_token: r1.body.refresh_token } });
    expect(r2.status).toBe(200);
  });

  it("revokes the whole family when an already-rotated token is presented again", async () => {
    const u = await registerUser("reuse");
    const r1 = await call("POST", "/api/auth/refresh", { body: { refresh_token: u.refresh } });
    const replay = await call("POST", "/api/auth/refresh", { body: { refresh_token: u.refresh } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("refresh_token_reused");
    // The legitimate holder's newer token died with the family.
    const r2 = await call("POST", "/api/auth/refresh", { body: { refresh_token: r1.body.refresh_token } });
    expect(r2.status).toBe(401);
    expect(r2.body.error.code).toBe("invalid_token");
  });

  it("accepts the refresh token from the httpOnly cookie", async () => {
    const u = await registerUser("cookie");
    const r = await call("POST", "/api/auth/refresh", { body: {}, headers: { Cookie: `herald_refresh=${u.refresh}` } });
    expect(r.status).toBe(200);
  });

  it("logout ends the session", async () => {
    const u = await registerUser("bye");
    expect((await call("POST", "/api/auth/logout", { body: { refresh_token: u.refresh } })).status).toBe(204);
    const r = await call("POST", "/api/auth/refresh", { body: { refresh_token: u.refresh } });
    expect(r.status).toBe(401);
  });
});

describe("forged access tokens", () => {
  const secret = () => fromBase64(env.JWT_SECRET);
  // Claims as Herald issues them, each overridable; `sid` defaults to the session of `sessionOf`.
  let sessionOf: string | undefined;
  const sign = (claims: { aud?: string; iss?: string; exp?: number; iat?: number; sid?: string | null }, key = secret(), sub = "usr_x") => {
    const jwt = new SignJWT(claims.sid === null ? {} : { sid: claims.sid ?? (sessionOf ? (decodeJwt(sessionOf).sid as string) : "rtf_x") })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(sub)
      .setIssuer(claims.iss ?? env.JWT_ISSUER)
      .setAudience(claims.aud ?? ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000))
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 60);
    return jwt.sign(key);
  };

  it("rejects alg none, another key, expiry, wrong audience and wrong issuer", async () => {
    const u = await registerUser("forge");
    sessionOf = u.token;
    const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const now = Math.floor(Date.now() / 1000);
    const forged = [
      `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: u.user.id, iss: env.JWT_ISSUER, aud: ACCESS_TOKEN_AUDIENCE, iat: now, exp: now + 60 })}.`,
      await sign({}, crypto.getRandomValues(new Uint8Array(32)), u.user.id),
      await sign({ exp: now - 10 }, secret(), u.user.id),
      await sign({ aud: "someone-else" }, secret(), u.user.id),
      await sign({ iss: "evil" }, secret(), u.user.id),
    ];
    for (const token of forged) {
      const r = await call("GET", "/api/me", { token });
      expect(r.status, token).toBe(401);
      expect(r.body.error.code).toBe("invalid_token");
    }
    // Control: a correctly signed token for the same user is accepted.
    expect((await call("GET", "/api/me", { token: await sign({}, secret(), u.user.id) })).status).toBe(200);
  });

  it("refuses a validly signed token that claims a long life, is older than 15 minutes, or names no session", async () => {
    const u = await registerUser("lifetime");
    sessionOf = u.token;
    const now = Math.floor(Date.now() / 1000);
    const tenYears = now + 10 * 365 * 24 * 3600;
    const tokens = {
      tenYearExp: await sign({ exp: tenYears }, secret(), u.user.id),
      issuedLongAgo: await sign({ iat: now - ACCESS_TOKEN_TTL_S - 120, exp: tenYears }, secret(), u.user.id),
      issuedInFuture: await sign({ iat: now + 3600, exp: now + 3600 + 60 }, secret(), u.user.id),
      noSession: await sign({ sid: null }, secret(), u.user.id),
      unknownSession: await sign({ sid: "rtf_doesnotexist" }, secret(), u.user.id),
    };
    for (const [what, token] of Object.entries(tokens)) {
      const r = await call("GET", "/api/me", { token });
      expect(r.status, what).toBe(401);
      expect(r.body.error.code, what).toBe("invalid_token");
    }
  });
});

describe("sessions", () => {
  it("stops the access token of a session at logout", async () => {
    const u = await registerUser("logout");
    expect((await call("GET", "/api/me", { token: u.token })).status).toBe(200);
    expect((await call("POST", "/api/auth/logout", { body: { refresh_token: u.refresh } })).status).toBe(204);
    const after = await call("GET", "/api/me", { token: u.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("invalid_token");
    // Another session of the same user is not affected.
    const other = await call("POST", "/api/auth/login", { body: { email: u.email, password: u.password }, headers: { "CF-Connecting-IP": freshIp() } });
    expect((await call("GET", "/api/me", { token: other.body.access_token })).status).toBe(200);
  });

  it("stops every access token of a session whose refresh token was reused", async () => {
    const u = await registerUser("reuse");
    const rotated = await call("POST", "/api/auth/refresh", { body: { refresh_token: u.refresh } });
    expect(rotated.status).toBe(200);
    expect((await call("POST", "/api/auth/refresh", { body: { refresh_token: u.refresh } })).body.error.code).toBe("refresh_token_reused");
    expect((await call("GET", "/api/me", { token: u.token })).status).toBe(401);
    expect((await call("GET", "/api/me", { token: rotated.body.access_token })).status).toBe(401);
  });

  it("notices a session ended elsewhere within SESSION_CHECK_CACHE_MS", async () => {
    const u = await registerUser("elsewhere");
    const sid = decodeJwt(u.token).sid as string;
    const t0 = Date.now();
    await assertSessionAlive(makeDeps(env, () => t0), sid); // cached as alive in this isolate
    // Another isolate ends it: the row changes, this isolate's cache does not know yet.
    await env.DB.prepare("update refresh_token_families set revoked_at = ? where id = ?").bind(t0, sid).run();
    await expect(assertSessionAlive(makeDeps(env, () => t0 + 1000), sid)).resolves.toBeUndefined();
    await expect(assertSessionAlive(makeDeps(env, () => t0 + SESSION_CHECK_CACHE_MS), sid)).rejects.toMatchObject({ code: "invalid_token" });
    expect(SESSION_CHECK_CACHE_MS).toBeLessThanOrEqual(60_000);
  });

  it("rate-limits refresh per IP", async () => {
    const ip = freshIp();
    let last;
    let sent = 0;
    while (sent < REFRESH_LIMIT_PER_IP.capacity + 10 && last?.status !== 429) {
      last = await call("POST", "/api/auth/refresh", { body: { refresh_token: "hr_nope" }, headers: { "CF-Connecting-IP": ip } });
      sent++;
    }
    expect(last!.status).toBe(429);
    expect(last!.headers.get("Retry-After")).toBeTruthy();
  });
});
