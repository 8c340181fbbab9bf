// /api/sites/{siteId}/segments: saved audiences as rules (issue #10 §1) — CRUD, an estimate of
// a saved segment (kept on it) and of unsaved rules (the dashboard's live count). Sends target
// one with { segment_id }.
import { createRoute, z } from "@hono/zod-openapi";
import { SegmentInput, SegmentRules } from "../contracts/segments";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as segments from "../services/segments";
import { SiteParams } from "./schemas";

const SegmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    rules: SegmentRules,
    estimated_count: z.number().int().nullable().openapi({ description: "Active subscribers matching when last counted" }),
    estimated_at: z.number().int().nullable(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("Segment");
const Estimate = z.object({ count: z.number().int(), computed_at: z.number().int() }).openapi("SegmentEstimate");
const SegmentParams = SiteParams.extend({ segmentId: pathId("segmentId", "seg_01jd0000000000000000000000") });
const common = { tags: ["Segments"], security: bearerSecurity };

export const segmentRoutes = newRouter()
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/segments", summary: "The site's segments, newest first", request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(SegmentSchema), next_cursor: z.string().nullable() }), "Segments"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "subscribers:read");
      return c.json(await segments.listSegments(c.var.deps, c.var.access.siteId, undefined), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/segments", summary: "Create a segment (counted as it is saved)", request: { params: SiteParams, ...jsonBody(SegmentInput) },
      responses: { 201: jsonResponse(SegmentSchema, "Created"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:write");
      return c.json(await segments.createSegment(c.var.deps, c.var.access.siteId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/segments/estimate", summary: "Count the subscribers unsaved rules match (nothing is saved)",
      request: { params: SiteParams, ...jsonBody(z.strictObject({ rules: SegmentRules })) }, responses: { 200: jsonResponse(Estimate, "The count"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "subscribers:read");
      return c.json(await segments.estimate(c.var.deps, c.var.access.siteId, c.req.valid("json").rules), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/segments/{segmentId}", summary: "One segment", request: { params: SegmentParams },
      responses: { 200: jsonResponse(SegmentSchema, "The segment"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "subscribers:read");
      return c.json(await segments.getSegment(c.var.deps, c.var.access.siteId, c.req.valid("param").segmentId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "patch", path: "/{siteId}/segments/{segmentId}", summary: "Change a segment (sends already started keep the rules they started with)",
      request: { params: SegmentParams, ...jsonBody(SegmentInput.partial().openapi("UpdateSegmentRequest")) }, responses: { 200: jsonResponse(SegmentSchema, "Changed"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:write");
      return c.json(await segments.updateSegment(c.var.deps, c.var.access.siteId, c.req.valid("param").segmentId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "delete", path: "/{siteId}/segments/{segmentId}", summary: "Delete a segment (sends already started keep their audience)", request: { params: SegmentParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:write");
      await segments.deleteSegment(c.var.deps, c.var.access.siteId, c.req.valid("param").segmentId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/segments/{segmentId}/estimate", summary: "Count the segment now (kept as its estimated_count)", request: { params: SegmentParams },
      responses: { 200: jsonResponse(Estimate, "The count"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "subscribers:read");
      return c.json(await segments.estimateSegment(c.var.deps, c.var.access.siteId, c.req.valid("param").segmentId), 200);
    },
  );
