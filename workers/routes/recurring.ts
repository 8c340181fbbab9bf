// /api/sites/{siteId}/recurring: recurring notifications (issue #10 §3) — a campaign sent on a
// calendar rule (daily, weekly on weekdays, monthly on a day, every N), at a time in the site's
// timezone or on each subscriber's clock; pause, resume, the next runs and each run's numbers.
import { createRoute, z } from "@hono/zod-openapi";
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "../config";
import { RecurrenceSchema, SERIES_STATUSES } from "../contracts/recurring";
import { bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as recurring from "../services/recurring";
import { CreateNotification } from "./notifications";
import { SiteParams } from "./schemas";

const SeriesNotification = CreateNotification.omit({ scheduled_at: true, local_delivery: true, ab_test: true }).openapi("RecurringNotificationContent", {
  description: "What each run sends: a campaign, as POST …/notifications takes it (without scheduled_at or local_delivery)",
});
const CreateSeries = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    recurrence: RecurrenceSchema,
    catch_up: z.boolean().optional().openapi({ description: "After downtime, send the latest missed run (default true) instead of skipping what was missed" }),
    notification: SeriesNotification,
  })
  .openapi("CreateRecurringRequest");
const UpdateSeries = CreateSeries.partial().openapi("UpdateRecurringRequest");
const Run = z.object({ date: z.string(), at: z.number().int() });
const SeriesSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(SERIES_STATUSES),
    recurrence: RecurrenceSchema,
    catch_up: z.boolean(),
    notification: SeriesNotification,
    next_run_at: z.number().int().nullable(),
    next_runs: z.array(Run).openapi({ description: "The next few runs (date, and when each is due)" }),
    last_run_at: z.number().int().nullable(),
    last_error: z.string().nullable().openapi({ description: "Why the last due run could not be created, if it could not" }),
    runs_count: z.number().int(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("RecurringNotification");
const RunSchema = z
  .object({
    date: z.string(),
    due_at: z.number().int(),
    notification_id: z.string(),
    status: z.string().nullable(),
    stats: z.record(z.string(), z.unknown()).nullable().openapi({ description: "The run's notification's web push funnel" }),
  })
  .openapi("RecurringRun");
const SeriesParams = SiteParams.extend({ seriesId: pathId("seriesId", "rec_01jd0000000000000000000000") });
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT), cursor: z.string().max(64).optional() });
const common = { tags: ["Recurring"], security: bearerSecurity };
const ended = { 409: errorResponse("The series has ended (invalid_state)") };

export const recurringRoutes = newRouter()
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/recurring", summary: "Recurring notifications, newest first", request: { params: SiteParams, query: ListQuery },
      responses: { 200: jsonResponse(z.object({ data: z.array(SeriesSchema), next_cursor: z.string().nullable() }), "A page"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      const { cursor, limit } = c.req.valid("query");
      return c.json(await recurring.listSeries(c.var.deps, c.var.access.siteId, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/recurring", summary: "Create a recurring notification", request: { params: SiteParams, ...jsonBody(CreateSeries) },
      responses: { 201: jsonResponse(SeriesSchema, "Created"), ...commonErrors, 409: errorResponse("A channel has no provider (channel_not_configured)") } }),
    async (c) => {
      const { access } = c.var;
      authorize(access, "notifications:send");
      const createdBy = access.principal.kind === "user" ? access.principal.userId : null;
      return c.json(await recurring.createSeries(c.var.deps, access.siteId, createdBy, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/recurring/{seriesId}", summary: "One recurring notification, with its next runs", request: { params: SeriesParams },
      responses: { 200: jsonResponse(SeriesSchema, "The series"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await recurring.getSeries(c.var.deps, c.var.access.siteId, c.req.valid("param").seriesId), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "patch", path: "/{siteId}/recurring/{seriesId}", summary: "Change a series (a new rule plans from now; runs made stay)",
      request: { params: SeriesParams, ...jsonBody(UpdateSeries) }, responses: { 200: jsonResponse(SeriesSchema, "Changed"), ...commonErrors, 409: errorResponse("A channel has no provider (channel_not_configured)") } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await recurring.updateSeries(c.var.deps, c.var.access.siteId, c.req.valid("param").seriesId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "delete", path: "/{siteId}/recurring/{seriesId}", summary: "Delete a series (its sent runs keep their notifications and stats)", request: { params: SeriesParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      await recurring.deleteSeries(c.var.deps, c.var.access.siteId, c.req.valid("param").seriesId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/recurring/{seriesId}/pause", summary: "Pause: no runs until resumed", request: { params: SeriesParams },
      responses: { 200: jsonResponse(SeriesSchema, "Paused"), ...commonErrors, ...ended } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await recurring.setPaused(c.var.deps, c.var.access.siteId, c.req.valid("param").seriesId, true), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "post", path: "/{siteId}/recurring/{seriesId}/resume", summary: "Resume from the next run after now (runs missed while paused are not sent)", request: { params: SeriesParams },
      responses: { 200: jsonResponse(SeriesSchema, "Resumed"), ...commonErrors, ...ended } }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await recurring.setPaused(c.var.deps, c.var.access.siteId, c.req.valid("param").seriesId, false), 200);
    },
  )
  .openapi(
    createRoute({ ...common, method: "get", path: "/{siteId}/recurring/{seriesId}/runs", summary: "The series' runs, newest first, each with its notification's numbers",
      request: { params: SeriesParams, query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
      responses: { 200: jsonResponse(z.object({ data: z.array(RunSchema) }), "Runs"), ...commonErrors } }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await recurring.listRuns(c.var.deps, c.var.access.siteId, c.req.valid("param").seriesId, c.req.valid("query").limit), 200);
    },
  );
