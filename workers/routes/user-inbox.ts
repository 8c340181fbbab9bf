// /api/sites/{siteId}/users/{externalId}/inbox…: a user's in-app inbox for the site's backend
// (API keys) and the dashboard — the operations of the end-user API (routes/inbox.ts) on any of
// the site's users. Reading needs users:read, changing users:write; an unknown user is a 404.
import { createRoute, z } from "@hono/zod-openapi";
import { InboxBatchRequest, InboxChangeSchema, InboxCountsSchema, InboxItemId, InboxListQuery, InboxPageSchema, InboxReadAllRequest } from "../contracts/inbox";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter } from "../lib/hono";
import { authorize } from "../services/access";
import * as inbox from "../services/inbox";
import { InboxBatchResultSchema, InboxReadAllResultSchema, ITEM_ACTIONS } from "./inbox";
import { UserParams } from "./users";

const ItemParams = UserParams.extend({ itemId: InboxItemId.openapi({ param: { name: "itemId", in: "path" } }) });
const ActionParams = ItemParams.extend({ action: z.enum(ITEM_ACTIONS).openapi({ param: { name: "action", in: "path" } }) });
const common = { tags: ["Inbox (server)"], security: bearerSecurity };

export const userInboxRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/users/{externalId}/inbox",
      summary: "A user's inbox, newest first (not archived unless archived=true)",
      request: { params: UserParams, query: InboxListQuery },
      responses: { 200: jsonResponse(InboxPageSchema, "A page"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:read");
      const { externalId } = c.req.valid("param");
      await inbox.assertUser(c.var.deps, c.var.access.siteId, externalId);
      return c.json(await inbox.listInbox(c.var.deps, c.var.access.siteId, externalId, c.req.valid("query")), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/users/{externalId}/inbox/counts",
      summary: "A user's total, unread and unseen items",
      request: { params: UserParams },
      responses: { 200: jsonResponse(InboxCountsSchema, "Counts"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:read");
      const { externalId } = c.req.valid("param");
      await inbox.assertUser(c.var.deps, c.var.access.siteId, externalId);
      return c.json(await inbox.inboxCounts(c.var.deps, c.var.access.siteId, externalId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/users/{externalId}/inbox/read-all",
      summary: "Mark every item of a user read (of one category, when given)",
      request: { params: UserParams, body: { content: { "application/json": { schema: InboxReadAllRequest } }, required: false } },
      responses: { 200: jsonResponse(InboxReadAllResultSchema, "Marked"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:write");
      const { externalId } = c.req.valid("param");
      await inbox.assertUser(c.var.deps, c.var.access.siteId, externalId);
      const body = (c.req.valid("json") as z.infer<typeof InboxReadAllRequest> | undefined) ?? {};
      return c.json(await inbox.readAll(c.var.deps, c.var.access.siteId, externalId, body.category), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/users/{externalId}/inbox/batch",
      summary: "One action on up to 100 of a user's items",
      request: { params: UserParams, ...jsonBody(InboxBatchRequest) },
      responses: { 200: jsonResponse(InboxBatchResultSchema, "Done"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:write");
      const { externalId } = c.req.valid("param");
      await inbox.assertUser(c.var.deps, c.var.access.siteId, externalId);
      const { ids, action } = c.req.valid("json");
      return c.json(await inbox.actOnItems(c.var.deps, c.var.access.siteId, externalId, ids, action), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/users/{externalId}/inbox/{itemId}/{action}",
      summary: "Mark one of a user's items read, unread, seen, archived or not archived",
      request: { params: ActionParams },
      responses: { 200: jsonResponse(InboxChangeSchema, "The item after the action, and the counts"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:write");
      const { externalId, itemId, action } = c.req.valid("param");
      await inbox.assertUser(c.var.deps, c.var.access.siteId, externalId);
      return c.json(await inbox.actOnItem(c.var.deps, c.var.access.siteId, externalId, itemId, action), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/users/{externalId}/inbox/{itemId}",
      summary: "Delete one of a user's items",
      request: { params: ItemParams },
      responses: { 200: jsonResponse(InboxChangeSchema, "Deleted: item is null; the counts after it"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:write");
      const { externalId, itemId } = c.req.valid("param");
      await inbox.assertUser(c.var.deps, c.var.access.siteId, externalId);
      return c.json(await inbox.actOnItem(c.var.deps, c.var.access.siteId, externalId, itemId, "delete"), 200);
    },
  );
