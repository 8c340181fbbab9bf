// /api/sites/{siteId}/users/{externalId}/preferences: a user's preferences as the site's server
// sees and sets them (issue #9 §3) — any switch, including a required category's (which sends
// ignore). The end user's own API is GET/PUT /api/inbox/preferences (routes/inbox.ts).
import { createRoute } from "@hono/zod-openapi";
import { PreferencesViewSchema, UpdatePreferencesRequest } from "../contracts/preferences";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter } from "../lib/hono";
import { authorize } from "../services/access";
import * as preferences from "../services/preferences";
import { UserParams } from "./users";

const common = { tags: ["Users"], security: bearerSecurity };

export const preferenceRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/users/{externalId}/preferences",
      summary: "A user's preferences: every channel and category with its effective switch, their quiet hours and the site's",
      request: { params: UserParams },
      responses: { 200: jsonResponse(PreferencesViewSchema, "The preferences"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:read");
      return c.json(await preferences.getPreferences(c.var.deps, c.var.access.siteId, c.req.valid("param").externalId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "put",
      path: "/{siteId}/users/{externalId}/preferences",
      summary: "Change a user's preferences (merged into what is stored; null drops an override)",
      request: { params: UserParams, ...jsonBody(UpdatePreferencesRequest) },
      responses: { 200: jsonResponse(PreferencesViewSchema, "The preferences now"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:write");
      return c.json(await preferences.updatePreferences(c.var.deps, c.var.access.siteId, c.req.valid("param").externalId, c.req.valid("json"), { asEndUser: false }), 200);
    },
  );
