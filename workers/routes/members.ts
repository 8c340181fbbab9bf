// /api/sites/{siteId}/members: the site's team. Owners manage it; members may leave.
import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as members from "../services/members";
import { RoleSchema, SiteParams } from "./schemas";

const MemberSchema = z
  .object({ user_id: z.string(), email: z.string(), name: z.string(), role: RoleSchema, created_at: z.number().int() })
  .openapi("Member");
const MemberParams = SiteParams.extend({ userId: pathId("userId", "usr_01jd0000000000000000000000") });
const AddMember = z.strictObject({ email: z.email().openapi({ example: "grace@example.com" }), role: RoleSchema }).openapi("AddMemberRequest");
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
      method: "post",
      path: "/{siteId}/members",
      summary: "Add an existing Herald user to the site (owner)",
      request: { params: SiteParams, ...jsonBody(AddMember) },
      responses: { 201: jsonResponse(MemberSchema, "Added"), ...commonErrors, ...conflict },
    }),
    async (c) => {
      authorize(c.var.access, "members:write");
      return c.json(await members.addMember(c.var.deps, c.var.access.siteId, c.req.valid("json")), 201);
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
