// /api/sites/{siteId}/feeds: RSS-to-push (issue #10 §5) — follow a feed (RSS, Atom, JSON Feed),
// how its items become notifications (each, digest, approve), its items, poll now, approve or
// skip an item waiting for approval.
import { createRoute, z } from "@hono/zod-openapi";
import { FEED_MODES, FeedInput, FeedTemplate, ITEM_STATES } from "../contracts/feeds";
import { bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as feeds from "../services/feeds";
import { SiteParams } from "./schemas";

const FeedSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    mode: z.enum(FEED_MODES),
    template: FeedTemplate,
    target: z.record(z.string(), z.unknown()),
    category: z.string().nullable(),
    max_items_per_poll: z.number().int(),
    enabled: z.boolean(),
    last_polled_at: z.number().int().nullable(),
    next_poll_at: z.number().int().nullable(),
    last_error: z.string().nullable().openapi({ description: "Why the last poll failed, in a sentence" }),
    last_error_at: z.number().int().nullable(),
    items_sent: z.number().int(),
    pending_approval: z.number().int(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("Feed");
const ItemSchema = z
  .object({
    key: z.string(),
    title: z.string().nullable(),
    url: z.string().nullable(),
    image: z.string().nullable(),
    published_at: z.number().int().nullable(),
    state: z.enum(ITEM_STATES),
    notification_id: z.string().nullable(),
    first_seen_at: z.number().int(),
  })
  .openapi("FeedItem");
const FeedParams = SiteParams.extend({ feedId: pathId("feedId", "fd_01jd0000000000000000000000") });
const ItemParams = FeedParams.extend({ itemKey: z.string().regex(/^[0-9a-f]{32}$/).openapi({ param: { name: "itemKey", in: "path" } }) });
const Poll = z
  .object({ feedId: z.string(), status: z.enum(["baseline", "unchanged", "new", "failed"]), newItems: z.number().int(), sent: z.number().int(), error: z.string().optional(), feed: FeedSchema })
  .openapi("FeedPoll");
const common = { tags: ["Feeds"], security: bearerSecurity };

export const feedRoutes = newRouter()
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/feeds", summary: "The feeds the site follows", request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(FeedSchema) }), "Feeds"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await feeds.listFeeds(c.var.deps, c.var.access.siteId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/feeds", summary: "Follow a feed (its first poll only records what it holds)", request: { params: SiteParams, ...jsonBody(FeedInput) },
      responses: { 201: jsonResponse(FeedSchema, "Created"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await feeds.createFeed(c.var.deps, c.var.access.siteId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/feeds/{feedId}", summary: "One feed", request: { params: FeedParams },
      responses: { 200: jsonResponse(FeedSchema, "The feed"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await feeds.getFeed(c.var.deps, c.var.access.siteId, c.req.valid("param").feedId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "patch", path: "/{siteId}/feeds/{feedId}", summary: "Change a feed (a new URL takes a new baseline)", request: { params: FeedParams, ...jsonBody(FeedInput.partial().openapi("UpdateFeedRequest")) },
      responses: { 200: jsonResponse(FeedSchema, "Changed"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await feeds.updateFeed(c.var.deps, c.var.access.siteId, c.req.valid("param").feedId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "delete", path: "/{siteId}/feeds/{feedId}", summary: "Stop following a feed", request: { params: FeedParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      await feeds.deleteFeed(c.var.deps, c.var.access.siteId, c.req.valid("param").feedId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/feeds/{feedId}/poll", summary: "Poll now, and say what happened", request: { params: FeedParams },
      responses: { 200: jsonResponse(Poll, "The poll"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await feeds.pollNow(c.var.deps, c.var.access.siteId, c.req.valid("param").feedId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/feeds/{feedId}/items", summary: "The feed's items, newest first", request: { params: FeedParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(ItemSchema) }), "Items"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await feeds.listItems(c.var.deps, c.var.access.siteId, c.req.valid("param").feedId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/feeds/{feedId}/items/{itemKey}/approve", summary: "Send an item waiting for approval", request: { params: ItemParams },
      responses: { 200: jsonResponse(ItemSchema, "Sent"), ...commonErrors, 409: errorResponse("The item is not waiting for approval (invalid_state)") } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      const { feedId, itemKey } = c.req.valid("param");
      return c.json(await feeds.decideItem(c.var.deps, c.var.access.siteId, feedId, itemKey, true), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/feeds/{feedId}/items/{itemKey}/skip", summary: "Never send an item waiting for approval", request: { params: ItemParams },
      responses: { 200: jsonResponse(ItemSchema, "Skipped"), ...commonErrors, 409: errorResponse("The item is not waiting for approval (invalid_state)") } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      const { feedId, itemKey } = c.req.valid("param");
      return c.json(await feeds.decideItem(c.var.deps, c.var.access.siteId, feedId, itemKey, false), 200);
    },
  );
