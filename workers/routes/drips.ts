// /api/sites/{siteId}/campaigns: welcome drip campaigns (issue #10 §4) — steps a new web push
// subscriber gets at subscription time plus each step's delay; activate, pause, and each step's
// funnel (reached, sent, shown, clicked).
import { createRoute, z } from "@hono/zod-openapi";
import { DRIP_STATUSES, DripInput } from "../contracts/drips";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as drips from "../services/drips";
import { SiteParams } from "./schemas";

const Step = z.object({ id: z.string(), delay_minutes: z.number().int(), content: z.record(z.string(), z.unknown()) });
const DripSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(DRIP_STATUSES),
    steps: z.array(Step),
    entered: z.number().int().openapi({ description: "Subscribers who entered" }),
    completed: z.number().int(),
    left: z.number().int().openapi({ description: "Left by unsubscribing" }),
    funnel: z.array(z.object({ step_id: z.string(), reached: z.number().int(), sent: z.number().int(), shown: z.number().int(), clicked: z.number().int() })),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("DripCampaign");
const UpdateDrip = DripInput.partial().openapi("UpdateDripRequest");
const DripParams = SiteParams.extend({ campaignId: pathId("campaignId", "drp_01jd0000000000000000000000") });
const common = { tags: ["Welcome drips"], security: bearerSecurity };

export const dripRoutes = newRouter()
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/campaigns", summary: "Welcome drip campaigns, with their funnels", request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(DripSchema) }), "Every campaign"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await drips.listDrips(c.var.deps, c.var.access.siteId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/campaigns", summary: "Create a drip campaign (a draft: activate it to let new subscribers in)", request: { params: SiteParams, ...jsonBody(DripInput) },
      responses: { 201: jsonResponse(DripSchema, "Created"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await drips.createDrip(c.var.deps, c.var.access.siteId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/campaigns/{campaignId}", summary: "One campaign and its funnel", request: { params: DripParams },
      responses: { 200: jsonResponse(DripSchema, "The campaign"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await drips.getDrip(c.var.deps, c.var.access.siteId, c.req.valid("param").campaignId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "patch", path: "/{siteId}/campaigns/{campaignId}",
      summary: "Change a campaign: new steps apply to subscribers' pending steps (kept by step id; a step they got is not sent again)",
      request: { params: DripParams, ...jsonBody(UpdateDrip) }, responses: { 200: jsonResponse(DripSchema, "Changed"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await drips.updateDrip(c.var.deps, c.var.access.siteId, c.req.valid("param").campaignId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "delete", path: "/{siteId}/campaigns/{campaignId}", summary: "Delete a campaign (steps already sent keep their notifications)", request: { params: DripParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      await drips.deleteDrip(c.var.deps, c.var.access.siteId, c.req.valid("param").campaignId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/campaigns/{campaignId}/activate", summary: "Activate: new subscribers enter (existing ones do not)", request: { params: DripParams },
      responses: { 200: jsonResponse(DripSchema, "Active"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await drips.setDripStatus(c.var.deps, c.var.access.siteId, c.req.valid("param").campaignId, "active"), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/campaigns/{campaignId}/pause", summary: "Pause: no steps go out and nobody enters until activated again (steps due meanwhile go out then)",
      request: { params: DripParams }, responses: { 200: jsonResponse(DripSchema, "Paused"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await drips.setDripStatus(c.var.deps, c.var.access.siteId, c.req.valid("param").campaignId, "paused"), 200);
    },
  );
