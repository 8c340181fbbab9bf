// /api/sites/{siteId}/members and /invitations: the site's team. Owners invite people (who
// accept from their own account: routes/me.ts), change roles and remove members; members may leave.
import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as invitations from "../services/invitations";
import * as members from "../services/members";
import { RoleSchema, SiteParams } from "./schemas";

const MemberSchema = z
  .object({ user_id: z.string(), email: z.string(), name: z.string(), role: RoleSchema, created_at: z.number().int() })
  .openapi("Member");
const MemberParams = SiteParams.extend({ userId: pathId("userId", "usr_01jd0000000000000000000000") });
const Invite = z.strictObject({ email: z.email().max(254).openapi({ example: "grace@example.com" }), role: RoleSchema }).openapi("InviteRequest");
export const InvitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: RoleSchema,
    status: z.enum(["pending", "accepted", "declined", "revoked"]),
    created_at: z.number().int(),
    expires_at: z.number().int(),
  })
  .openapi("Invitation");
const InvitationParams = SiteParams.extend({ invitationId: pathId("invitationId", "inv_01jd0000000000000000000000") });
const ChangeRole = z.strictObject({ role: RoleSchema }).openapi("ChangeRoleRequest");

const common = { tags: ["Team"], security: bearerSecurity };
const conflict = { 409: errorResponse("already_member or last_owner") };

export const memberRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/members",
      summary: "List the site's members",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(MemberSchema) }), "Members"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "members:read");
      return c.json({ data: await members.listMembers(c.var.deps, c.var.access.siteId) }, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/invitations",
      summary: "Pending invitations to the team",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(InvitationSchema) }), "Pending invitations"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "members:read");
      return c.json({ data: await invitations.listSiteInvitations(c.var.deps, c.var.access.siteId) }, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/invitations",
      summary: "Invite someone by e-mail (owner); they accept or decline from their own account",
      description: "The answer is the same whether or not the e-mail has a Herald account; inviting again renews the invitation.",
      request: { params: SiteParams, ...jsonBody(Invite) },
      responses: { 201: jsonResponse(InvitationSchema, "Invited"), ...commonErrors, 409: errorResponse("Already on the team (already_member)") },
    }),
    async (c) => {
      authorize(c.var.access, "members:write");
      const { access } = c.var;
      const by = access.principal.kind === "user" ? access.principal.userId : null;
      return c.json(await invitations.invite(c.var.deps, access.siteId, by, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/invitations/{invitationId}",
      summary: "Withdraw a pending invitation (owner)",
      request: { params: InvitationParams },
      responses: { 204: { description: "Withdrawn" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "members:write");
      await invitations.revoke(c.var.deps, c.var.access.siteId, c.req.valid("param").invitationId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "patch",
      path: "/{siteId}/members/{userId}",
      summary: "Change a member's role (owner)",
      request: { params: MemberParams, ...jsonBody(ChangeRole) },
      responses: { 200: jsonResponse(MemberSchema, "Updated"), ...commonErrors, ...conflict },
    }),
    async (c) => {
      authorize(c.var.access, "members:write");
      const { userId } = c.req.valid("param");
      return c.json(await members.changeRole(c.var.deps, c.var.access.siteId, userId, c.req.valid("json").role), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/members/{userId}",
      summary: "Remove a member (owner), or leave the site yourself",
      request: { params: MemberParams },
      responses: { 204: { description: "Removed" }, ...commonErrors, ...conflict },
    }),
    async (c) => {
      const { userId } = c.req.valid("param");
      const { access } = c.var;
      const leaving = access.principal.kind === "user" && access.principal.userId === userId;
      if (!leaving) authorize(access, "members:write");
      await members.removeMember(c.var.deps, access.siteId, userId);
      return c.body(null, 204);
    },
  );
