// /api/sites/{siteId}/messages: send one message to users (or a push audience) on several
// channels at once — web push, FCM, email, SMS, WhatsApp — and read back its status per
// channel and per recipient. Create honours Idempotency-Key.
import { createRoute, z } from "@hono/zod-openapi";
import { MAX_TARGET_IDS, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "../config";
import { CHANNEL_IDS } from "../contracts/channels";
import { FreeFormData } from "../contracts/common";
import { MessageContentSchema } from "../contracts/message-content";
import { CategoryKey, LocalDeliverySchema, PRIORITIES } from "../contracts/preferences";
import { TargetSchema } from "../contracts/target";
import { TemplateKey } from "../contracts/template";
import { IdempotencyHeader, idempotencyErrors, idempotent } from "../http/idempotency";
import { bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as messages from "../services/messages";
import type { MessageView } from "../services/messages";
import { SiteParams } from "./schemas";

const ChannelSchema = z.enum(CHANNEL_IDS);
const CreateMessage = z
  .strictObject({
    to: TargetSchema.openapi({
      description: `Who: { external_ids: [...] } (up to ${MAX_TARGET_IDS} users, on every channel they can be reached on) or { all: true }; tags and subscriber_ids reach push subscriptions only`,
    }),
    content: MessageContentSchema.optional().openapi({ description: "What to say, per channel (or give template)" }),
    template: z
      .union([TemplateKey, z.strictObject({ key: TemplateKey, version: z.number().int().min(1).optional() })])
      .optional()
      .openapi({ description: "A template key (its published version), or { key, version } to pin one; rendered per recipient with their profile and data" }),
    channels: z.array(ChannelSchema).min(1).max(CHANNEL_IDS.length).refine((c) => new Set(c).size === c.length, "Name each channel once.").optional().openapi({
      description: "Channels to use; default: every channel the content has a part for",
    }),
    data: FreeFormData.optional().openapi({ description: "The template's data.* variables" }),
    category: CategoryKey.optional().openapi({ description: "One of the site's categories: users' preferences for it apply, and a digest category collects it" }),
    priority: z.enum(PRIORITIES).optional().openapi({ description: "urgent: delivered now, through quiet hours and digests (default normal)" }),
    local_delivery: LocalDeliverySchema.optional().openapi({ description: "At this wall-clock time in each recipient's timezone (their profile's, else their browser's, else the site's): on `date`, or at the first such moment after the send starts. Recipients whose moment is ahead wait (deferred, \"local_time\")" }),
  })
  .refine((m) => (m.content === undefined) !== (m.template === undefined), { message: "Give content or template (one of them).", path: ["content"] })
  .openapi("CreateMessageRequest", {
    example: {
      to: { external_ids: ["user-42"] },
      content: { email: { subject: "Your order shipped", text: "It is on its way." }, sms: { text: "Your order shipped." } },
    },
  });

export const ChannelStatusSchema = z
  .object({
    state: z.enum(["queued", "sending", "done", "no_recipients"]),
    targeted: z.number().int(),
    sent: z.number().int(),
    delivered: z.number().int().openapi({ description: "Confirmed by the provider's status reports" }),
    failed: z.number().int(),
    unreachable: z.number().int().openapi({ description: "Addresses found unusable (marked, skipped from now on)" }),
    failed_by_reason: z.record(z.string(), z.object({ count: z.number().int(), label: z.string() })),
    skipped: z.number().int().openapi({ description: "Not sent: the user switched this channel or the category off" }),
    deferred: z.number().int().openapi({ description: "Waiting for the end of the user's quiet hours, or for the local delivery time in their timezone (then sent)" }),
    digested: z.number().int().openapi({ description: "Collected into a digest the user gets when its window ends" }),
  })
  .openapi("MessageChannelStatus");
export const MessageSchema = z
  .object({
    id: z.string(),
    headline: z.string().nullable().openapi({ description: "What it is about: its template, or a title, subject or text" }),
    status: z.enum(["draft", "scheduled", "sending", "completed", "cancelled", "failed"]),
    to: z.record(z.string(), z.unknown()),
    channels: z.record(z.string(), ChannelStatusSchema),
    template: z.object({ key: z.string(), version: z.number().int() }).nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    category: z.string().nullable(),
    priority: z.enum(PRIORITIES),
    local_delivery: LocalDeliverySchema.nullable(),
    targeted: z.number().int(),
    created_at: z.number().int(),
    completed_at: z.number().int().nullable(),
  })
  .openapi("Message");
const RecipientSchema = z
  .object({
    channel: ChannelSchema,
    recipient_id: z.string().openapi({ description: "A site user (email, SMS, WhatsApp), push subscription (web push) or mobile device (FCM)" }),
    external_id: z.string().nullable(),
    address: z.string().nullable(),
    status: z.string().openapi({ description: "sent, failed, pruned, skipped, deferred, digested — or what the provider reported later: delivered, bounced, undelivered, failed" }),
    send_status: z.enum(["sent", "failed", "pruned", "skipped", "deferred", "digested"]),
    release_at: z.number().int().nullable().openapi({ description: "Deferred: when it goes out (the end of the user's quiet hours)" }),
    reason: z.string().nullable(),
    reason_label: z.string().nullable(),
    provider_code: z.string().nullable(),
    provider_message_id: z.string().nullable(),
    http_status: z.number().int().nullable(),
    sent_at: z.number().int(),
    status_at: z.number().int(),
  })
  .openapi("MessageRecipient");

const MessageParams = SiteParams.extend({ messageId: pathId("messageId", "ntf_01jd0000000000000000000000") });
const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  cursor: z.string().max(300).optional(),
});
const common = { tags: ["Messages"], security: bearerSecurity };

export const messageRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/messages",
      summary: "Send a message on one or more channels; 202 with its id, then GET it for status",
      request: { params: SiteParams, headers: IdempotencyHeader, ...jsonBody(CreateMessage) },
      responses: {
        202: jsonResponse(MessageSchema, "Accepted: fanning out through the queue"),
        ...commonErrors,
        ...idempotencyErrors,
        409: errorResponse("A channel has no provider configured (channel_not_configured), or the Idempotency-Key is in use"),
      },
    }),
    async (c) => {
      const { access } = c.var;
      authorize(access, "notifications:send");
      const createdBy = access.principal.kind === "user" ? access.principal.userId : null;
      const body = c.req.valid("json");
      const r = await idempotent(c, body, async () => ({ status: 202, body: await messages.createMessage(c.var.deps, access.siteId, createdBy, body) }));
      return c.json(r.body as MessageView, 202);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/messages",
      summary: "List messages, newest first, with their status per channel",
      request: { params: SiteParams, query: PageQuery },
      responses: { 200: jsonResponse(z.object({ data: z.array(MessageSchema), next_cursor: z.string().nullable() }), "A page"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      const { cursor, limit } = c.req.valid("query");
      return c.json(await messages.listMessages(c.var.deps, c.var.access.siteId, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/messages/{messageId}",
      summary: "A message's status per channel: queued, sending, done; sent, delivered, failed with reasons",
      request: { params: MessageParams },
      responses: { 200: jsonResponse(MessageSchema, "The message"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      return c.json(await messages.getMessage(c.var.deps, c.var.access.siteId, c.req.valid("param").messageId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/messages/{messageId}/recipients",
      summary: "What happened per recipient and channel, page by page",
      request: {
        params: MessageParams,
        query: PageQuery.extend({
          channel: ChannelSchema.optional(),
          status: z.enum(["sent", "failed", "pruned", "delivered", "bounced", "undelivered", "skipped", "deferred", "digested"]).optional(),
        }),
      },
      responses: { 200: jsonResponse(z.object({ data: z.array(RecipientSchema), next_cursor: z.string().nullable() }), "A page"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "notifications:read");
      const { cursor, limit, channel, status } = c.req.valid("query");
      const page = await messages.listRecipients(c.var.deps, c.var.access.siteId, c.req.valid("param").messageId, { channel, status }, cursor, limit);
      return c.json(page as { data: z.infer<typeof RecipientSchema>[]; next_cursor: string | null }, 200);
    },
  );
