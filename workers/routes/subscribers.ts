// /api/sites/{siteId}/subscribers: list with filters and cursor pagination, read,
// edit tags/external id, GDPR export, and erasure.
import { createRoute, z } from "@hono/zod-openapi";
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "../config";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as subscribers from "../services/subscribers";
import { Tags } from "./public";
import { SiteParams } from "./schemas";

const SubscriberSchema = z
  .object({
    id: z.string(),
    endpoint: z.string(),
    tags: z.array(z.string()),
    external_id: z.string().nullable(),
    browser: z.string().nullable(),
    os: z.string().nullable(),
    language: z.string().nullable(),
    timezone: z.string().nullable(),
    country: z.string().nullable(),
    active: z.boolean(),
    subscribed_at: z.number().int(),
    last_seen_at: z.number().int(),
    unsubscribed_at: z.number().int().nullable(),
    unsubscribe_reason: z.string().nullable(),
  })
  .openapi("Subscriber");
const SubscriberParams = SiteParams.extend({ subscriberId: pathId("subscriberId", "sub_01jd0000000000000000000000") });
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  cursor: z.string().max(64).optional(),
  tag: z.string().max(64).optional(),
  browser: z.string().max(64).optional(),
  country: z.string().length(2).optional(),
  active: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
});
const PatchSubscriber = z
  .strictObject({ tags: Tags.optional(), external_id: z.string().min(1).max(200).nullable().optional() })
  .openapi("UpdateSubscriberRequest");

const common = { tags: ["Subscribers"], security: bearerSecurity };

export const subscriberRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/subscribers",
      summary: "List subscribers, newest first",
      request: { params: SiteParams, query: ListQuery },
      responses: {
        200: jsonResponse(z.object({ data: z.array(SubscriberSchema), next_cursor: z.string().nullable() }), "A page"),
        ...commonErrors,
      },
    }),
    async (c) => {
      authorize(c.var.access, "subscribers:read");
      const { limit, cursor, ...filter } = c.req.valid("query");
      return c.json(await subscribers.listSubscribers(c.var.deps, c.var.access.siteId, filter, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/subscribers/{subscriberId}",
      summary: "Get a subscriber",
      request: { params: SubscriberParams },
      responses: { 200: jsonResponse(SubscriberSchema, "The subscriber"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "subscribers:read");
      return c.json(await subscribers.getSubscriber(c.var.deps, c.var.access.siteId, c.req.valid("param").subscriberId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "patch",
      path: "/{siteId}/subscribers/{subscriberId}",
      summary: "Replace a subscriber's tags or external id (admin); an empty body changes nothing and returns the subscriber",
      request: { params: SubscriberParams, ...jsonBody(PatchSubscriber) },
      responses: { 200: jsonResponse(SubscriberSchema, "Updated"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "subscribers:write");
      const { subscriberId } = c.req.valid("param");
      return c.json(await subscribers.updateSubscriber(c.var.deps, c.var.access.siteId, subscriberId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/subscribers/{subscriberId}",
      summary: "Erase a subscriber and their delivery and event history (admin)",
      request: { params: SubscriberParams },
      responses: { 204: { description: "Erased" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "subscribers:write");
      await subscribers.deleteSubscriber(c.var.deps, c.var.access.siteId, c.req.valid("param").subscriberId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/subscribers/{subscriberId}/export",
      summary: "Everything stored about a subscriber (GDPR access request)",
      request: { params: SubscriberParams },
      responses: { 200: jsonResponse(z.record(z.string(), z.unknown()), "Export"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "subscribers:read");
      const data = await subscribers.exportSubscriber(c.var.deps, c.var.access.siteId, c.req.valid("param").subscriberId);
      // The stored id (an id we made), never the request's text; only [A-Za-z0-9_-] reaches the header.
      c.header("Content-Disposition", `attachment; filename="subscriber-${data.subscriber.id.replace(/[^A-Za-z0-9_-]/g, "")}.json"`);
      return c.json(data, 200);
    },
  );
