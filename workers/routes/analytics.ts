// /api/sites/{siteId}/analytics/overview, …/notifications/{id}/performance, and the
// live counters WebSocket …/live (the browser passes its access token as ?access_token=,
// since WebSocket requests cannot carry an Authorization header).
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../errors";
import { bearerSecurity, commonErrors, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import { siteCounters } from "../services/analytics/live";
import { overview, performance } from "../services/analytics/reports";
import { SiteParams } from "./schemas";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Must be a date such as 2026-11-01 (YYYY-MM-DD).").openapi({ example: "2026-11-01" });
const Engagement = z.object({ sends: z.number().int(), impressions: z.number().int(), clicks: z.number().int(), ctr: z.number(), value: z.number() });
const Point = Engagement.extend({ date: z.string(), subscribers_gained: z.number().int(), subscribers_lost: z.number().int() });
const Overview = z
  .object({
    from: z.string(),
    to: z.string(),
    timezone: z.string(),
    totals: Engagement.extend({
      subscribers_total: z.number().int(),
      subscribers_active: z.number().int(),
      subscribers_new: z.number().int(),
      subscribers_lost: z.number().int(),
    }),
    series: z.array(Point),
  })
  .openapi("AnalyticsOverview");
const Minute = z.object({
  minute: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  pruned: z.number().int(),
  impressions: z.number().int(),
  clicks: z.number().int(),
  dismissals: z.number().int(),
});
const Performance = z
  .object({
    funnel: z.object({ targeted: z.number().int(), sent: z.number().int(), impressions: z.number().int(), clicks: z.number().int() }),
    failed: z.number().int(),
    failed_by_reason: z.record(z.string(), z.number().int()),
    pruned: z.number().int(),
    dismissals: z.number().int(),
    ctr: z.number(),
    series: z.array(Minute),
  })
  .openapi("NotificationPerformance");

const common = { tags: ["Analytics"], security: bearerSecurity };

export const analyticsRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/analytics/overview",
      summary: "Totals and a daily series (site timezone) for a date range; default the last 30 days",
      request: { params: SiteParams, query: z.object({ from: Day.optional(), to: Day.optional() }) },
      responses: { 200: jsonResponse(Overview, "Overview"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "analytics:read");
      return c.json(await overview(c.var.deps, c.var.access.siteId, c.req.valid("query")), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/notifications/{notificationId}/performance",
      summary: "Funnel, failures by reason and a per-minute series of one notification",
      request: { params: SiteParams.extend({ notificationId: pathId("notificationId", "ntf_01jd0000000000000000000000") }) },
      responses: { 200: jsonResponse(Performance, "Performance"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "analytics:read");
      return c.json(await performance(c.var.deps, c.var.access.siteId, c.req.valid("param").notificationId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/live",
      summary: "WebSocket: live counters of the site and its notifications (pass ?access_token=)",
      request: { params: SiteParams },
      responses: { 101: { description: "Switching to WebSocket" }, 426: { description: "Not a WebSocket upgrade" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "analytics:read");
      if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw new ApiError("upgrade_required");
      const upgraded = await siteCounters(c.env, c.var.access.siteId).fetch(c.req.raw);
      // Re-wrap: a Durable Object's response headers are immutable, and our middleware adds security headers.
      return new Response(null, { status: upgraded.status, webSocket: upgraded.webSocket });
    },
  );
