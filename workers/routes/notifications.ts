// /api/sites/{siteId}/notifications: compose (draft or scheduled), list, read,
// edit, delete, send (202), cancel, stats; and the live audience count for a target.
// Create and send honour Idempotency-Key. A campaign goes out by web push unless it names
// more channels (issue #8 §5), with their content in channel_content.
import { createRoute, z } from "@hono/zod-openapi";
import { DATE_MAX_MS, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, SCHEDULE_MAX_AHEAD_MS } from "../config";
import { type AppEnv, bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { CHANNEL_IDS } from "../contracts/channels";
import { CONTENT_FIELDS } from "../contracts/content";
import { EmailContentSchema, FcmContentSchema, SmsContentSchema, WhatsAppContentSchema, InAppContentSchema } from "../contracts/message-content";
import { TargetSchema } from "../contracts/target";
import { AbTestSchema } from "../contracts/ab-test";
import { CategoryKey, LocalDeliverySchema, PRIORITIES } from "../contracts/preferences";
import { authorize, can } from "../services/access";
import { IdempotencyHeader, idempotencyErrors, idempotent } from "../http/idempotency";
import * as notifications from "../services/notifications";
import type { NotificationView } from "../services/notifications";
import { ChannelStatusSchema } from "./messages";
import { HttpsUrl, SiteParams } from "./schemas";

// Target and content are contracts shared with the sender and the dashboard.
export { TargetSchema };
const Content = CONTENT_FIELDS;
const ScheduledAt = z
  .number()
  .positive({ abort: true })
  .max(DATE_MAX_MS, { message: "Must be a time a JavaScript Date can hold (Unix milliseconds).", abort: true })
  .int()
  .refine((ms) => ms <= Date.now() + SCHEDULE_MAX_AHEAD_MS, "Must be at most one year ahead.")
  .nullable()
  .optional()
  .openapi({ description: "Unix ms, at most one year ahead; omit for a draft" });
const Channels = z
  .array(z.enum(CHANNEL_IDS))
  .min(1)
  .max(CHANNEL_IDS.length)
  .refine((c) => new Set(c).size === c.length, "Name each channel once.")
  .openapi({ description: "Channels to send on, each with a provider set up under Integrations; default web_push. In-app, email, SMS, WhatsApp and FCM reach users: the target must be all or external_ids" });
/** The other channels' content; web push says the top-level title, body, url… */
const ChannelContent = z
  .strictObject({
    in_app: InAppContentSchema.optional(),
    email: EmailContentSchema.optional(),
    sms: SmsContentSchema.optional(),
    whatsapp: WhatsAppContentSchema.optional(),
    fcm: FcmContentSchema.optional(),
  })
  .openapi("CampaignChannelContent", { description: "What to send on each channel other than web push: one entry per such channel picked" });
export const CreateNotification = z
  .strictObject({
    ...Content,
    target: TargetSchema,
    scheduled_at: ScheduledAt,
    channels: Channels.optional(),
    channel_content: ChannelContent.optional(),
    category: CategoryKey.optional().openapi({ description: "One of the site's categories: users' preferences for it apply, a digest category collects it" }),
    priority: z.enum(PRIORITIES).optional().openapi({ description: "urgent: delivered through quiet hours and digests (default normal)" }),
    ab_test: AbTestSchema.optional().openapi({ description: "Test 2–5 variants on a share of the audience; the best click-through goes to the rest after the window (web push)" }),
    local_delivery: LocalDeliverySchema.optional().openapi({ description: "At this wall-clock time in each recipient's timezone (their profile's, else their browser's, else the site's): on `date`, or at the first such moment after the send starts. Recipients whose moment is ahead wait (deferred, \"local_time\")" }),
  })
  .openapi("CreateNotificationRequest");
// On edit, null clears an optional field (e.g. remove the image from a draft); channels: null
// means web push only again, and channel_content replaces the stored one whole (null clears it).
const UpdateNotification = CreateNotification.partial()
  .extend({
    channels: Channels.nullable().optional(),
    channel_content: ChannelContent.nullable().optional(),
    category: CategoryKey.nullable().optional(),
    local_delivery: LocalDeliverySchema.nullable().optional(),
    ab_test: AbTestSchema.nullable().optional(),
    body: Content.body.unwrap().nullable().optional(),
    url: HttpsUrl.nullable().optional(),
    icon: HttpsUrl.nullable().optional(),
    image: HttpsUrl.nullable().optional(),
    badge: HttpsUrl.nullable().optional(),
    actions: Content.actions.unwrap().nullable().optional(),
  })
  .openapi("UpdateNotificationRequest");

const StatsSchema = z
  .object({
    targeted: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    failed_by_reason: z.record(z.string(), z.number().int()),
    pruned: z.number().int(),
    impressions: z.number().int(),
    clicks: z.number().int(),
    dismissals: z.number().int(),
    ctr: z.number(),
  })
  .openapi("NotificationStats");
const NotificationSchema = CreateNotification.extend({
  id: z.string(),
  status: z.enum(["draft", "scheduled", "sending", "completed", "cancelled", "failed"]),
  scheduled_at: z.number().int().nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  started_at: z.number().int().nullable(),
  completed_at: z.number().int().nullable(),
  archived_at: z.number().int().nullable().openapi({ description: "Set when archived (hidden from the list; stats kept)" }),
  channel_content: ChannelContent,
  category: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  local_delivery: LocalDeliverySchema.nullable(),
  ab_test: z
    .object({
      variants: z.array(z.record(z.string(), z.unknown())),
      test_share: z.number(),
      window_minutes: z.number().int(),
      pick: z.enum(["auto", "manual"]).optional(),
      phase: z.enum(["testing", "decided"]).optional(),
      test_ends_at: z.number().int().optional(),
      winner: z.number().int().optional(),
      confident: z.boolean().optional(),
      results: z
        .array(z.object({ variant: z.number().int(), notification_id: z.string(), sent: z.number().int(), impressions: z.number().int(), clicks: z.number().int(), ctr: z.number(), ctr_low: z.number(), ctr_high: z.number() }))
        .openapi({ description: "Each variant's numbers, with the 95 % interval of its click-through" }),
    })
    .nullable(),
  channels: z
    .record(z.string(), ChannelStatusSchema)
    .openapi({ description: "Status per channel the notification goes out on (queued until it starts); stats is the web push part" }),
  stats: StatsSchema.optional().openapi({ description: "The web push funnel" }),
}).openapi("Notification");

const NotificationParams = SiteParams.extend({ notificationId: pathId("notificationId", "ntf_01jd0000000000000000000000") });
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  cursor: z.string().max(64).optional(),
  status: NotificationSchema.shape.status.optional(),
  archived: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .openapi({ description: "true lists only archived notifications; by default they are left out" }),
});

const common = { tags: ["Notifications"], security: bearerSecurity };
const conflict = { 409: errorResponse("Not allowed in the notification's current status (invalid_state)") };
const editConflict = { 409: errorResponse("Not allowed in the notification's current status (invalid_state), or a channel has no provider (channel_not_configured)") };
export const notificationRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/notifications",
      summary: "Create a draft, or a scheduled notification when scheduled_at is given",
      request: { params: SiteParams, headers: IdempotencyHeader, ...jsonBody(CreateNotification) },
      responses: {
        201: jsonResponse(NotificationSchema, "Created"),
        ...commonErrors,
        ...idempotencyErrors,
        409: errorResponse("A channel has no provider (channel_not_configured, with the field), or idempotency_in_progress"),
      },
    }),
    async (c) => {
      const { access } = c.var;
      authorize(access, c.req.valid("json").scheduled_at != null ? "notifications:send" : "notifications:write");
      const createdBy = access.principal.kind === "user" ? access.principal.userId : null;
      const r = await idempotent(c, c.req.valid("json"), async () => ({
        status: 201,
        body: await notifications.createNotification(c.var.deps, access.siteId, createdBy, c.req.valid("json")),
      }));
      return c.json(r.body as NotificationView, 201);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/notifications",
      summary: "List notifications, newest first, with their stats",
      request: { params: SiteParams, query: ListQuery },
      responses: { 200: jsonResponse(z.object({ data: z.array(NotificationSchema), next_cursor: z.string().nullable() }), "A page"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      const { limit, cursor, status, archived } = c.req.valid("query");
      return c.json(await notifications.listNotifications(c.var.deps, c.var.access.siteId, { status, archived }, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/notifications/{notificationId}",
      summary: "Get a notification with its stats",
      request: { params: NotificationParams },
      responses: { 200: jsonResponse(NotificationSchema, "The notification"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await notifications.getNotification(c.var.deps, c.var.access.siteId, c.req.valid("param").notificationId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "patch",
      path: "/{siteId}/notifications/{notificationId}",
      summary: "Edit a draft; scheduling, or changing a scheduled notification, needs the send permission (scheduled_at: null makes it a draft)",
      request: { params: NotificationParams, ...jsonBody(UpdateNotification) },
      responses: { 200: jsonResponse(NotificationSchema, "Updated"), ...commonErrors, ...editConflict },
    }),
    async (c) => {
      const patch = c.req.valid("json");
      authorize(c.var.access, patch.scheduled_at != null ? "notifications:send" : "notifications:write");
      const { notificationId } = c.req.valid("param");
      const rights = { canSend: can(c.var.access, "notifications:send") };
      return c.json(await notifications.updateNotification(c.var.deps, c.var.access.siteId, notificationId, patch, rights), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/notifications/{notificationId}",
      summary: "Delete a notification that never sent: a draft, a scheduled one (send permission) or one cancelled before it started",
      request: { params: NotificationParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors, ...conflict },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:write");
      const rights = { canSend: can(c.var.access, "notifications:send") };
      await notifications.deleteNotification(c.var.deps, c.var.access.siteId, c.req.valid("param").notificationId, rights);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/notifications/{notificationId}/archive",
      summary: "Archive a completed, cancelled or failed notification: hidden from the list, statistics kept",
      request: { params: NotificationParams },
      responses: { 200: jsonResponse(NotificationSchema, "Archived"), ...commonErrors, ...conflict },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:write");
      return c.json(await notifications.setArchived(c.var.deps, c.var.access.siteId, c.req.valid("param").notificationId, true), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/notifications/{notificationId}/unarchive",
      summary: "Bring an archived notification back into the list",
      request: { params: NotificationParams },
      responses: { 200: jsonResponse(NotificationSchema, "Unarchived"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:write");
      return c.json(await notifications.setArchived(c.var.deps, c.var.access.siteId, c.req.valid("param").notificationId, false), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/notifications/{notificationId}/send",
      summary: "Send now (admin); delivery continues in the background",
      request: { params: NotificationParams, headers: IdempotencyHeader },
      responses: {
        202: jsonResponse(NotificationSchema, "Sending"),
        ...commonErrors,
        ...idempotencyErrors,
        409: errorResponse("Not allowed in the notification's current status (invalid_state), a channel's provider was removed (channel_not_configured), or idempotency_in_progress"),
      },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      const { notificationId } = c.req.valid("param");
      const r = await idempotent(c, null, async () => ({
        status: 202,
        body: await notifications.sendNotification(c.var.deps, c.var.access.siteId, notificationId),
      }));
      return c.json(r.body as NotificationView, 202);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/notifications/{notificationId}/cancel",
      summary: "Cancel a scheduled notification or stop one that is sending (admin)",
      request: { params: NotificationParams },
      responses: { 200: jsonResponse(NotificationSchema, "Cancelled"), ...commonErrors, ...conflict },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await notifications.cancelNotification(c.var.deps, c.var.access.siteId, c.req.valid("param").notificationId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/notifications/{notificationId}/ab-test/winner",
      summary: "Pick the A/B test's winner now: it goes to the rest of the audience (admin)",
      request: { params: NotificationParams, ...jsonBody(z.strictObject({ variant: z.number().int().min(0).openapi({ description: "0-based, as in ab_test.variants" }) }).openapi("PickWinnerRequest")) },
      responses: { 200: jsonResponse(NotificationSchema, "The winner is on its way"), ...commonErrors, ...conflict },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:send");
      return c.json(await notifications.pickAbWinner(c.var.deps, c.var.access.siteId, c.req.valid("param").notificationId, c.req.valid("json").variant), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/notifications/{notificationId}/stats",
      summary: "Targeted, sent, failed by reason, pruned, impressions, clicks, dismissals, CTR",
      request: { params: NotificationParams },
      responses: { 200: jsonResponse(StatsSchema, "Stats"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await notifications.getStats(c.var.deps, c.var.access.siteId, c.req.valid("param").notificationId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/audience/count",
      summary: "How many active subscribers a target matches right now",
      request: { params: SiteParams, ...jsonBody(z.strictObject({ target: TargetSchema }).openapi("AudienceCountRequest")) },
      responses: { 200: jsonResponse(z.object({ count: z.number().int() }), "Count"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json({ count: await notifications.audienceCount(c.var.deps, c.var.access.siteId, c.req.valid("json").target) }, 200);
    },
  );
