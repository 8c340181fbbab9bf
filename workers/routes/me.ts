// /api/me: the signed-in user, their sites with roles, and the invitations addressed to them.
import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, commonErrors, jsonResponse, newRouter, pathId } from "../lib/hono";
import { requireUser } from "../services/access";
import { getMe } from "../services/auth";
import * as invitations from "../services/invitations";
import { UserSchema } from "./auth";
import { InvitationSchema } from "./members";
import { RoleSchema, SiteSchema } from "./schemas";

const MyInvitation = InvitationSchema.extend({
  site: z.object({ id: z.string(), name: z.string(), url: z.string() }),
  invited_by: z.string().nullable().openapi({ description: "Name of who invited you" }),
}).openapi("MyInvitation");
const InvitationParams = z.object({ invitationId: pathId("invitationId", "inv_01jd0000000000000000000000") });
const common = { tags: ["Auth"], security: bearerSecurity };

export const meRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/",
      summary: "The signed-in user and their sites",
      responses: {
        200: jsonResponse(z.object({ user: UserSchema, sites: z.array(SiteSchema) }).openapi("Me"), "You"),
        ...commonErrors,
      },
    }),
    async (c) => c.json(await getMe(c.var.deps, requireUser(c.var.principal)), 200),
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/invitations",
      summary: "Pending invitations to join sites' teams, addressed to your e-mail",
      responses: { 200: jsonResponse(z.object({ data: z.array(MyInvitation) }), "Your invitations"), ...commonErrors },
    }),
    async (c) => c.json({ data: await invitations.myInvitations(c.var.deps, requireUser(c.var.principal)) }, 200),
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/invitations/{invitationId}/accept",
      summary: "Join the site with the invited role",
      request: { params: InvitationParams },
      responses: { 200: jsonResponse(z.object({ site_id: z.string(), role: RoleSchema }), "Joined"), ...commonErrors },
    }),
    async (c) => c.json(await invitations.accept(c.var.deps, requireUser(c.var.principal), c.req.valid("param").invitationId), 200),
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/invitations/{invitationId}/decline",
      summary: "Decline an invitation",
      request: { params: InvitationParams },
      responses: { 204: { description: "Declined" }, ...commonErrors },
    }),
    async (c) => {
      await invitations.decline(c.var.deps, requireUser(c.var.principal), c.req.valid("param").invitationId);
      return c.body(null, 204);
    },
  );
