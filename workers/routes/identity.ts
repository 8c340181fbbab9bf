// /api/sites/{siteId}/identity: the identity secret with which a site's backend signs
// external ids (see lib/identity.ts). Its status is readable by admins; rotating returns
// the new secret once. The previous one keeps verifying for a grace period.
import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, commonErrors, jsonResponse, newRouter } from "../lib/hono";
import { authorize } from "../services/access";
import * as identity from "../services/identity";
import { SiteParams } from "./schemas";

const IdentityStatus = z
  .object({
    configured: z.boolean(),
    hint: z.string().nullable().openapi({ description: "Last four characters of the current secret", example: "x9Qa" }),
    created_at: z.number().int().nullable(),
    previous_valid_until: z.number().int().nullable().openapi({ description: "Unix ms until which the replaced secret still verifies" }),
  })
  .openapi("IdentityStatus");

const common = { tags: ["Sites"], security: bearerSecurity };

export const identityRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/identity",
      summary: "Identity verification: whether the site has a secret, and its last four characters (admin)",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(IdentityStatus, "Status"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "settings:write");
      return c.json(await identity.identityStatus(c.var.deps, c.var.access.siteId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/identity/rotate",
      summary: "Issue a new identity secret, shown once; the previous one keeps verifying for 24 hours (admin)",
      request: { params: SiteParams },
      responses: {
        200: jsonResponse(IdentityStatus.extend({ secret: z.string().openapi({ example: "hid_…" }) }).openapi("IssuedIdentitySecret"), "The new secret"),
        ...commonErrors,
      },
    }),
    async (c) => {
      authorize(c.var.access, "settings:write");
      return c.json(await identity.rotateIdentitySecret(c.var.deps, c.var.access.siteId), 200);
    },
  );
