// /api/auth: register, login, refresh, logout. The refresh token is returned in the
// body (for API clients) and also set as an httpOnly cookie scoped to /api/auth
// (for the dashboard, which keeps only the access token in memory).
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { LOGIN_LIMIT_PER_EMAIL, LOGIN_LIMIT_PER_IP, PASSWORD_MIN_LENGTH, REFRESH_LIMIT_PER_IP, REFRESH_TOKEN_TTL_MS, REGISTER_LIMIT_PER_IP } from "../config";
import { ApiError } from "../errors";
import { type AppEnv, jsonBody, jsonResponse, newRouter, publicErrors, commonErrors, errorResponse } from "../lib/hono";
import * as auth from "../services/auth";
import { clientIp, enforceRateLimits } from "../services/rate-limit";

const REFRESH_COOKIE = "herald_refresh";
const Email = z.email().max(254).openapi({ example: "ada@example.com" });

export const UserSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), created_at: z.number().int() })
  .openapi("User");
const SessionSchema = z
  .object({
    user: UserSchema,
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().openapi({ description: "Access token lifetime in seconds" }),
  })
  .openapi("Session");

const RegisterBody = z
  .strictObject({
    email: Email,
    password: z.string().min(PASSWORD_MIN_LENGTH).max(256).openapi({ example: "correct horse battery" }),
    name: z.string().trim().min(1).max(100).openapi({ example: "Ada Lovelace" }),
  })
  .openapi("RegisterRequest");
const LoginBody = z
  .strictObject({ email: Email, password: z.string().min(1).max(256).openapi({ example: "correct horse battery" }) })
  .openapi("LoginRequest");
const RefreshBody = z
  .strictObject({ refresh_token: z.string().min(1).max(200).optional().openapi({ example: "hr_…" }) })
  .openapi("RefreshRequest");

function withCookie(c: Context<AppEnv>, session: auth.Session) {
  setCookie(c, REFRESH_COOKIE, session.refresh_token, {
    path: "/api/auth",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: Math.floor(REFRESH_TOKEN_TTL_MS / 1000),
  });
  return session;
}

function presentedRefreshToken(c: Context<AppEnv>, body: { refresh_token?: string }): string {
  const token = body.refresh_token ?? getCookie(c, REFRESH_COOKIE);
  if (!token) throw new ApiError("validation_failed", "refresh_token is required.", [{ path: "refresh_token", message: "Required." }]);
  return token;
}

export const authRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/register",
      tags: ["Auth"],
      summary: "Create an account",
      request: jsonBody(RegisterBody),
      responses: { 201: jsonResponse(SessionSchema, "Account created and signed in"), 409: errorResponse("Email already registered (email_taken)"), ...publicErrors },
    }),
    async (c) => {
      await enforceRateLimits(c.env, [{ key: `register:ip:${clientIp(c.req.raw.headers)}`, limit: REGISTER_LIMIT_PER_IP }]);
      return c.json(withCookie(c, await auth.register(c.var.deps, c.req.valid("json"))), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/login",
      tags: ["Auth"],
      summary: "Sign in",
      request: jsonBody(LoginBody),
      responses: { 200: jsonResponse(SessionSchema, "Signed in"), 401: commonErrors[401], ...publicErrors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      await enforceRateLimits(c.env, [
        { key: `login:ip:${clientIp(c.req.raw.headers)}`, limit: LOGIN_LIMIT_PER_IP },
        { key: `login:email:${auth.normaliseEmail(body.email)}`, limit: LOGIN_LIMIT_PER_EMAIL },
      ]);
      return c.json(withCookie(c, await auth.login(c.var.deps, body)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/refresh",
      tags: ["Auth"],
      summary: "Exchange a refresh token (body or cookie) for a new session; the old token stops working",
      request: jsonBody(RefreshBody),
      responses: { 200: jsonResponse(SessionSchema, "New tokens"), 401: commonErrors[401], ...publicErrors },
    }),
    async (c) => {
      await enforceRateLimits(c.env, [{ key: `refresh:ip:${clientIp(c.req.raw.headers)}`, limit: REFRESH_LIMIT_PER_IP }]);
      const token = presentedRefreshToken(c, c.req.valid("json"));
      return c.json(withCookie(c, await auth.refresh(c.var.deps, token)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/logout",
      tags: ["Auth"],
      summary: "Revoke the session of a refresh token (body or cookie)",
      request: jsonBody(RefreshBody),
      responses: { 204: { description: "Signed out" }, ...publicErrors },
    }),
    async (c) => {
      await auth.logout(c.var.deps, presentedRefreshToken(c, c.req.valid("json")));
      deleteCookie(c, REFRESH_COOKIE, { path: "/api/auth", secure: true });
      return c.body(null, 204);
    },
  );
