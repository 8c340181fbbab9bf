// /api/sites/{siteId}/triggers: inbound webhook triggers (issue #10 §6) — create (the URL and the
// signing secret are shown once), list with each one's last call, change, rotate the secret,
// delete, the call log, and a test with a sample payload. The URL itself is routes/hooks.ts.
import { createRoute, z } from "@hono/zod-openapi";
import { TRIGGER_MODES, TriggerInput, TriggerMapping } from "../contracts/triggers";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as triggers from "../services/triggers";
import { SiteParams } from "./schemas";

const TriggerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    mode: z.enum(TRIGGER_MODES),
    mapping: TriggerMapping,
    rate_limit_per_minute: z.number().int(),
    enabled: z.boolean(),
    url_hint: z.string().openapi({ description: "The URL's last characters (the full URL is shown once, at creation)" }),
    secret_hint: z.string(),
    last_call: z.object({ at: z.number().int(), status: z.number().int() }).nullable(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("Trigger");
const IssuedTrigger = TriggerSchema.extend({ url: z.string().openapi({ description: "POST JSON here; shown once" }), secret: z.string().openapi({ description: "The signing secret; shown once" }) }).openapi("IssuedTrigger");
const Call = z
  .object({
    id: z.string(),
    at: z.number().int(),
    status: z.number().int(),
    outcome: z.enum(["sent", "duplicate", "rejected", "test"]),
    error: z.string().nullable(),
    field: z.string().nullable(),
    message_id: z.string().nullable(),
    rendered: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("TriggerCall");
const TriggerParams = SiteParams.extend({ triggerId: pathId("triggerId", "trg_01jd0000000000000000000000") });
const TestBody = z
  .strictObject({ payload: z.record(z.string(), z.unknown()), dry_run: z.boolean().optional().openapi({ description: "Only show what it would send" }) })
  .openapi("TriggerTestRequest");
const common = { tags: ["Triggers"], security: bearerSecurity };

export const triggerRoutes = newRouter()
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/triggers", summary: "Triggers, each with its last call", request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(TriggerSchema) }), "Triggers"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await triggers.listTriggers(c.var.deps, c.var.access.siteId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/triggers", summary: "Create a trigger (its URL and secret are in this answer only)", request: { params: SiteParams, ...jsonBody(TriggerInput) },
      responses: { 201: jsonResponse(IssuedTrigger, "Created"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await triggers.createTrigger(c.var.deps, c.var.access.siteId, new URL(c.req.url).origin, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/triggers/{triggerId}", summary: "One trigger", request: { params: TriggerParams },
      responses: { 200: jsonResponse(TriggerSchema, "The trigger"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await triggers.getTrigger(c.var.deps, c.var.access.siteId, c.req.valid("param").triggerId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "patch", path: "/{siteId}/triggers/{triggerId}", summary: "Change a trigger (its URL stays)", request: { params: TriggerParams, ...jsonBody(TriggerInput.partial().openapi("UpdateTriggerRequest")) },
      responses: { 200: jsonResponse(TriggerSchema, "Changed"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await triggers.updateTrigger(c.var.deps, c.var.access.siteId, c.req.valid("param").triggerId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "delete", path: "/{siteId}/triggers/{triggerId}", summary: "Delete a trigger (its URL stops answering)", request: { params: TriggerParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      await triggers.deleteTrigger(c.var.deps, c.var.access.siteId, c.req.valid("param").triggerId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/triggers/{triggerId}/rotate-secret", summary: "A new signing secret (shown once); the old one stops working", request: { params: TriggerParams },
      responses: { 200: jsonResponse(TriggerSchema.extend({ secret: z.string() }), "Rotated"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await triggers.rotateSecret(c.var.deps, c.var.access.siteId, c.req.valid("param").triggerId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/triggers/{triggerId}/calls", summary: "The last calls received, newest first", request: { params: TriggerParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(Call) }), "The log"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await triggers.listCalls(c.var.deps, c.var.access.siteId, c.req.valid("param").triggerId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/triggers/{triggerId}/test", summary: "Map a sample payload and send it (or only show it: dry_run)", request: { params: TriggerParams, ...jsonBody(TestBody) },
      responses: { 200: jsonResponse(z.object({ rendered: z.record(z.string(), z.unknown()), message_id: z.string().nullable() }), "What it made"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      const { payload, dry_run } = c.req.valid("json");
      return c.json(await triggers.testTrigger(c.var.deps, c.var.access.siteId, c.req.valid("param").triggerId, payload, dry_run ?? false), 200);
    },
  );
