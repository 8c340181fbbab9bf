// /api/sites/{siteId}/webhooks: a site's outbound webhook endpoints (Standard Webhooks) —
// create (the whsec_ secret shown once), list, read, edit (re-enable after Herald disabled one),
// delete, rotate the secret with a 24-hour overlap, send a test event — and each endpoint's
// delivery log with replay. The event catalogue and each payload are documented under the
// OpenAPI document's `webhooks` (documentWebhookEvents).
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "../config";
import { HttpsUrl } from "../contracts/common";
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_DATA,
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT,
  WebhookTestData,
  webhookPayloadSchema,
} from "../contracts/webhook-events";
import { type AppEnv, bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import { replayDelivery, sendTestEvent } from "../services/webhooks/deliver";
import * as endpoints from "../services/webhooks/endpoints";
import { listDeliveries } from "../services/webhooks/log";
import { SiteParams } from "./schemas";

const EventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .nullable()
  .openapi({ description: "The event types sent to this endpoint; null (the default) for every type, including ones added later", example: ["message.failed"] });
const Fields = {
  url: HttpsUrl.openapi({ description: "Public https URL; checked against private and local addresses here and before every delivery", example: "https://hooks.example.com/herald" }),
  description: z.string().max(200).openapi({ example: "Order service" }),
  event_types: EventTypes,
  enabled: z.boolean(),
};
const CreateWebhook = z
  .strictObject({ url: Fields.url, description: Fields.description.optional(), event_types: Fields.event_types.optional(), enabled: Fields.enabled.optional() })
  .openapi("CreateWebhookRequest");
const UpdateWebhook = z
  .strictObject({
    url: Fields.url.optional(),
    description: Fields.description.optional(),
    event_types: Fields.event_types.optional(),
    enabled: Fields.enabled.optional().openapi({ description: "true re-enables an endpoint Herald disabled after days of failure" }),
  })
  .openapi("UpdateWebhookRequest");

const Endpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    event_types: z.array(z.enum(WEBHOOK_EVENT_TYPES)).nullable(),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().openapi({ description: "Why Herald disabled it; null when enabled or disabled by a person" }),
    disabled_at: z.number().int().nullable(),
    failing_since: z.number().int().nullable().openapi({ description: "Every attempt since this time (unix ms) failed; null when the last succeeded" }),
    secret_hint: z.string().openapi({ description: "The secret's last four characters", example: "Qk0=" }),
    previous_secret_valid_until: z.number().int().nullable().openapi({ description: "Until when (unix ms) the secret replaced by the last rotation also signs" }),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("WebhookEndpoint");
const IssuedEndpoint = Endpoint.extend({
  secret: z.string().openapi({ description: "The signing secret, shown only in this response", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
}).openapi("IssuedWebhookEndpoint");
const Delivery = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    webhook_id: z.string().openapi({ description: "The webhook-id header: the same on every attempt of this event to this endpoint" }),
    kind: z.enum(["scheduled", "replay", "test"]),
    attempt: z.number().int().openapi({ description: "1 to 8 for scheduled attempts" }),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    response_status: z.number().int().nullable(),
    response_body: z.string().nullable().openapi({ description: "The first kilobyte of the answer" }),
    error: z.string().nullable().openapi({ example: "http_500" }),
    error_detail: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    attempted_at: z.number().int().nullable(),
    next_attempt_at: z.number().int().nullable(),
    created_at: z.number().int(),
  })
  .openapi("WebhookDelivery");

const WebhookParams = SiteParams.extend({ webhookId: pathId("webhookId", "whk_01jd0000000000000000000000") });
const DeliveryParams = WebhookParams.extend({ deliveryId: pathId("deliveryId", "whd_01jd0000000000000000000000") });
const DeliveryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  cursor: z.string().max(64).optional(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
});

const common = { tags: ["Webhooks"], security: bearerSecurity };

export const webhookRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/webhooks",
      summary: "Add a webhook endpoint; its signing secret is in this response only (admin)",
      request: { params: SiteParams, ...jsonBody(CreateWebhook) },
      responses: { 201: jsonResponse(IssuedEndpoint, "Created"), 409: errorResponse("The site has as many endpoints as it may (webhook_limit_reached)"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "webhooks:write");
      return c.json(await endpoints.createEndpoint(c.var.deps, c.var.access.siteId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/webhooks",
      summary: "List webhook endpoints, newest first",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(Endpoint) }), "Endpoints"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "webhooks:read");
      return c.json({ data: await endpoints.listEndpoints(c.var.deps, c.var.access.siteId) }, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/webhooks/{webhookId}",
      summary: "Get a webhook endpoint",
      request: { params: WebhookParams },
      responses: { 200: jsonResponse(Endpoint, "The endpoint"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "webhooks:read");
      return c.json(await endpoints.getEndpoint(c.var.deps, c.var.access.siteId, c.req.valid("param").webhookId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "patch",
      path: "/{siteId}/webhooks/{webhookId}",
      summary: "Edit an endpoint's URL, description or event types, or enable or disable it (admin)",
      request: { params: WebhookParams, ...jsonBody(UpdateWebhook) },
      responses: { 200: jsonResponse(Endpoint, "Updated"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "webhooks:write");
      return c.json(await endpoints.updateEndpoint(c.var.deps, c.var.access.siteId, c.req.valid("param").webhookId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/webhooks/{webhookId}",
      summary: "Delete an endpoint and its delivery log (admin)",
      request: { params: WebhookParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "webhooks:write");
      await endpoints.deleteEndpoint(c.var.deps, c.var.access.siteId, c.req.valid("param").webhookId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/webhooks/{webhookId}/rotate-secret",
      summary: "Issue a new signing secret, shown once; for 24 hours deliveries carry a signature with each (admin)",
      request: { params: WebhookParams },
      responses: { 200: jsonResponse(IssuedEndpoint, "The new secret"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "webhooks:write");
      return c.json(await endpoints.rotateSecret(c.var.deps, c.var.access.siteId, c.req.valid("param").webhookId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/webhooks/{webhookId}/test",
      summary: `Send a ${WEBHOOK_TEST_EVENT} event to the endpoint now and answer with the attempt (admin)`,
      request: { params: WebhookParams },
      responses: { 200: jsonResponse(Delivery, "The attempt, with the receiver's answer"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "webhooks:write");
      return c.json(await sendTestEvent(c.var.deps, c.var.access.siteId, c.req.valid("param").webhookId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/webhooks/{webhookId}/deliveries",
      summary: "The endpoint's delivery log: every attempt, newest first",
      request: { params: WebhookParams, query: DeliveryQuery },
      responses: { 200: jsonResponse(z.object({ data: z.array(Delivery), next_cursor: z.string().nullable() }), "A page"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "webhooks:read");
      const { limit, cursor, status } = c.req.valid("query");
      return c.json(await listDeliveries(c.var.deps, c.var.access.siteId, c.req.valid("param").webhookId, { status }, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/webhooks/{webhookId}/deliveries/{deliveryId}/replay",
      summary: "Send that delivery's event again now, with the same webhook-id, and answer with the attempt (admin)",
      request: { params: DeliveryParams },
      responses: { 200: jsonResponse(Delivery, "The new attempt"), 409: errorResponse("The event is no longer stored (invalid_state)"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "webhooks:write");
      const { webhookId, deliveryId } = c.req.valid("param");
      return c.json(await replayDelivery(c.var.deps, c.var.access.siteId, webhookId, deliveryId), 200);
    },
  );

/** Documents every event type under the OpenAPI document's `webhooks`: what a receiver gets. */
export function documentWebhookEvents(app: OpenAPIHono<AppEnv>): void {
  const headers = z.object({
    "webhook-id": z.string().openapi({ description: "Same on every retry and replay of this event to this endpoint: drop repeats by it" }),
    "webhook-timestamp": z.string().openapi({ description: "Unix seconds of this attempt" }),
    "webhook-signature": z.string().openapi({ description: "Space-separated v1,<base64 HMAC-SHA256> signatures (two during a secret rotation)" }),
  });
  const entries: Array<[string, string, z.ZodType]> = [
    ...WEBHOOK_EVENT_TYPES.map((t): [string, string, z.ZodType] => [t, WEBHOOK_EVENT_LABELS[t], WEBHOOK_EVENT_DATA[t]]),
    [WEBHOOK_TEST_EVENT, "A test event sent on request (POST …/webhooks/{webhookId}/test)", WebhookTestData],
  ];
  for (const [type, summary, data] of entries) {
    app.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      tags: ["Webhooks"],
      summary,
      description: "Signed per Standard Webhooks; answer 2xx within 15 seconds. Other answers are retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h.",
      request: { headers, body: { content: { "application/json": { schema: webhookPayloadSchema(type, data) } }, required: true } },
      responses: { 200: { description: "Received (any 2xx)" } },
    });
  }
}
