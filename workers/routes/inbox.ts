// /api/inbox…: the end user's own inbox, called by the SDK from the site's pages (issue #9 §1–2).
// The user is proven by the site's signed identity (http/inbox-auth.ts sets c.var.inboxUser):
// X-Herald-Site-Key, X-Herald-External-Id, X-Herald-User-Hash — or, for the WebSocket,
// ?site_key=&external_id=&user_hash=. An identified user the site has not created yet simply
// has an empty inbox; opening the WebSocket creates the site user, so sends can find them.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  InboxBatchRequest,
  InboxChangeSchema,
  InboxCountsSchema,
  InboxItemId,
  InboxItemSchema,
  InboxListQuery,
  InboxPageSchema,
  InboxReadAllRequest,
} from "../contracts/inbox";
import { PreferencesViewSchema, UpdatePreferencesRequest } from "../contracts/preferences";
import { ApiError } from "../errors";
import { INBOX_HEADERS, type InboxEnv } from "../http/inbox-auth";
import { errorResponse, issuesToFields, jsonBody, jsonResponse, publicErrors, validationError } from "../lib/hono";
import * as inbox from "../services/inbox";
import { getPreferences, updatePreferences } from "../services/preferences";
import { ensureUser } from "../services/users";

/** The signed identity, as documented; http/inbox-auth.ts reads and checks it before validation. */
export const InboxAuthHeaders = z.object({
  [INBOX_HEADERS.siteKey.toLowerCase()]: z.string().openapi({ description: "The site's public key (pk_…)" }),
  [INBOX_HEADERS.externalId.toLowerCase()]: z.string().openapi({ description: "Your id of the signed-in user" }),
  [INBOX_HEADERS.userHash.toLowerCase()]: z
    .string()
    .openapi({ description: "Hex HMAC-SHA256 of the external id with the site's identity secret, computed by your server" }),
});

export const ITEM_ACTIONS = ["read", "unread", "seen", "archive", "unarchive"] as const;
const ItemParams = z.object({ itemId: InboxItemId.openapi({ param: { name: "itemId", in: "path" } }) });
const ActionParams = ItemParams.extend({ action: z.enum(ITEM_ACTIONS).openapi({ param: { name: "action", in: "path" } }) });
export const InboxBatchResultSchema = z
  .object({
    items: z.array(InboxItemSchema).openapi({ description: "The items found, after the action (deleted ones are left out)" }),
    not_found: z.array(z.string()).openapi({ description: "Ids this inbox has no item for" }),
    counts: InboxCountsSchema,
  })
  .openapi("InboxBatchResult");
export const InboxReadAllResultSchema = z.object({ updated: z.number().int(), counts: InboxCountsSchema }).openapi("InboxReadAllResult");

export const inboxErrors = {
  ...publicErrors,
  401: errorResponse("Missing site key or external id (unauthorized)"),
  403: errorResponse("The user hash does not sign the external id for this site (identity_unverified), or the origin is not allowed"),
  404: errorResponse("Unknown site key, or no such item in this inbox (not_found)"),
};

const common = { tags: ["Inbox (end user)"] };

function router() {
  return new OpenAPIHono<InboxEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(issuesToFields(result.error.issues as Parameters<typeof issuesToFields>[0], result.target));
    },
  });
}

export const inboxRoutes = router()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/",
      summary: "The user's inbox, newest first (not archived unless archived=true)",
      request: { headers: InboxAuthHeaders, query: InboxListQuery },
      responses: { 200: jsonResponse(InboxPageSchema, "A page"), ...inboxErrors },
    }),
    async (c) => {
      const { siteId, externalId } = c.var.inboxUser;
      return c.json(await inbox.listInbox(c.var.deps, siteId, externalId, c.req.valid("query")), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/counts",
      summary: "Total, unread and unseen items (not archived)",
      request: { headers: InboxAuthHeaders },
      responses: { 200: jsonResponse(InboxCountsSchema, "Counts"), ...inboxErrors },
    }),
    async (c) => {
      const { siteId, externalId } = c.var.inboxUser;
      return c.json(await inbox.inboxCounts(c.var.deps, siteId, externalId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/ws",
      summary: "WebSocket: item.created, item.updated, item.deleted and counts as they happen (pass ?site_key=&external_id=&user_hash=)",
      request: {
        // Optional here: http/inbox-auth.ts reads and checks them (a plain GET carries headers instead, then gets 426).
        query: z.object({
          site_key: z.string().optional().openapi({ description: "The site's public key" }),
          external_id: z.string().optional().openapi({ description: "Your id of the signed-in user" }),
          user_hash: z.string().optional().openapi({ description: "Hex HMAC-SHA256 of the external id with the site's identity secret" }),
        }),
      },
      responses: { 101: { description: "Switching to WebSocket" }, 426: errorResponse("Not a WebSocket upgrade (upgrade_required)"), ...inboxErrors },
    }),
    async (c) => {
      if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw new ApiError("upgrade_required");
      const { siteId, externalId } = c.var.inboxUser;
      // A user who connects is a user of the site from now on: sends to them find them.
      await ensureUser(c.var.deps, siteId, externalId);
      return inbox.connect(c.env, siteId, externalId, c.req.raw);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/preferences",
      summary: "The user's preferences: every channel and category with its effective switch, and quiet hours",
      request: { headers: InboxAuthHeaders },
      responses: { 200: jsonResponse(PreferencesViewSchema, "The preferences"), ...inboxErrors },
    }),
    async (c) => {
      const { siteId, externalId } = c.var.inboxUser;
      return c.json(await getPreferences(c.var.deps, siteId, externalId, { asEndUser: true }), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "put",
      path: "/preferences",
      summary: "Change the user's preferences (required categories cannot be switched off)",
      request: { headers: InboxAuthHeaders, ...jsonBody(UpdatePreferencesRequest) },
      responses: {
        200: jsonResponse(PreferencesViewSchema, "The preferences now"),
        ...inboxErrors,
        403: errorResponse("Not verified (identity_unverified), origin not allowed, or a required category switched off (category_required)"),
      },
    }),
    async (c) => {
      const { siteId, externalId } = c.var.inboxUser;
      // Choosing preferences makes the user one of the site's (as connecting does).
      await ensureUser(c.var.deps, siteId, externalId);
      return c.json(await updatePreferences(c.var.deps, siteId, externalId, c.req.valid("json"), { asEndUser: true }), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/read-all",
      summary: "Mark every item read (of one category, when given)",
      request: { headers: InboxAuthHeaders, body: { content: { "application/json": { schema: InboxReadAllRequest } }, required: false } },
      responses: { 200: jsonResponse(InboxReadAllResultSchema, "Marked"), ...inboxErrors },
    }),
    async (c) => {
      const { siteId, externalId } = c.var.inboxUser;
      const body = (c.req.valid("json") as z.infer<typeof InboxReadAllRequest> | undefined) ?? {};
      return c.json(await inbox.readAll(c.var.deps, siteId, externalId, body.category), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/batch",
      summary: "One action on up to 100 items",
      request: { headers: InboxAuthHeaders, ...jsonBody(InboxBatchRequest) },
      responses: { 200: jsonResponse(InboxBatchResultSchema, "Done"), ...inboxErrors },
    }),
    async (c) => {
      const { siteId, externalId } = c.var.inboxUser;
      const { ids, action } = c.req.valid("json");
      return c.json(await inbox.actOnItems(c.var.deps, siteId, externalId, ids, action), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{itemId}/{action}",
      summary: "Mark one item read, unread, seen, archived or not archived",
      request: { headers: InboxAuthHeaders, params: ActionParams },
      responses: { 200: jsonResponse(InboxChangeSchema, "The item after the action, and the counts"), ...inboxErrors },
    }),
    async (c) => {
      const { siteId, externalId } = c.var.inboxUser;
      const { itemId, action } = c.req.valid("param");
      return c.json(await inbox.actOnItem(c.var.deps, siteId, externalId, itemId, action), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{itemId}",
      summary: "Delete one item",
      request: { headers: InboxAuthHeaders, params: ItemParams },
      responses: { 200: jsonResponse(InboxChangeSchema, "Deleted: item is null; the counts after it"), ...inboxErrors },
    }),
    async (c) => {
      const { siteId, externalId } = c.var.inboxUser;
      return c.json(await inbox.actOnItem(c.var.deps, siteId, externalId, c.req.valid("param").itemId, "delete"), 200);
    },
  );
