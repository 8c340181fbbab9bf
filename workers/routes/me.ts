// GET /api/me: the signed-in user and their sites with roles.
import { createRoute, z } from "@hono/zod-openapi";
import { findUserById } from "../db/queries/users";
import { ApiError } from "../errors";
import { bearerSecurity, commonErrors, jsonResponse, newRouter } from "../lib/hono";
import { requireUser } from "../services/access";
import { publicUser } from "../services/auth";
import { listSites } from "../services/sites";
import { UserSchema } from "./auth";
import { SiteSchema } from "./schemas";

export const meRoutes = newRouter().openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["Auth"],
    security: bearerSecurity,
    summary: "The signed-in user and their sites",
    responses: {
      200: jsonResponse(z.object({ user: UserSchema, sites: z.array(SiteSchema) }).openapi("Me"), "You"),
      ...commonErrors,
    },
  }),
  async (c) => {
    const userId = requireUser(c.var.principal);
    const user = await findUserById(c.var.deps.db, userId);
    if (!user) throw new ApiError("invalid_token");
    return c.json({ user: publicUser(user), sites: await listSites(c.var.deps, userId) }, 200);
  },
);
