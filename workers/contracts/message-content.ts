// What a message says on each channel (issue #8 §4–5). One definition: POST …/messages accepts
// these as inline content, a template's parts render into them (services/templates) and are
// validated against them after rendering, and each channel (channels/<id>) sends them.
// Web push is the notification content (contracts/content.ts) a campaign already uses.
import { z } from "@hono/zod-openapi";
import { FREE_FORM_MAX_BYTES } from "../config";
import { formatNumber } from "../lib/messages";
import { HttpsUrl } from "./common";
import { ContentSchema } from "./content";

/** SMS: Twilio accepts up to 1,600 characters (it splits into segments itself). */
export const SMS_MAX_CHARS = 1600;
/** Email bodies: generous, but bounded so one message row stays small (D1 rows ≤ 2 MB). */
export const EMAIL_BODY_MAX_CHARS = 200_000;

export const EmailContentSchema = z
  .strictObject({
    subject: z.string().trim().min(1).max(250),
    html: z.string().min(1).max(EMAIL_BODY_MAX_CHARS).optional(),
    text: z.string().min(1).max(EMAIL_BODY_MAX_CHARS).optional(),
  })
  .refine((c) => c.html !== undefined || c.text !== undefined, { message: "Give html, text or both.", path: ["text"] })
  .openapi("EmailContent");

export const SmsContentSchema = z.strictObject({ text: z.string().trim().min(1).max(SMS_MAX_CHARS) }).openapi("SmsContent");

/** Free text inside WhatsApp's 24 h customer-service window; outside it WhatsApp requires an
 *  approved template (Twilio Content API: content_sid, with its variables). */
export const WhatsAppContentSchema = z
  .strictObject({
    text: z.string().trim().min(1).max(SMS_MAX_CHARS).optional(),
    content_sid: z
      .string()
      .regex(/^HX[0-9a-fA-F]{32}$/, "Must be a Twilio Content SID (HX followed by 32 hex digits).")
      .optional(),
    content_variables: z.record(z.string().max(20), z.string().max(1000)).optional(),
  })
  .refine((c) => c.text !== undefined || c.content_sid !== undefined, { message: "Give text, or content_sid for an approved template.", path: ["text"] })
  .openapi("WhatsAppContent");

/** FCM (Android, and iOS through FCM): a notification with optional string data. */
export const FcmContentSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    body: z.string().max(1000).optional(),
    image: HttpsUrl.optional(),
    url: HttpsUrl.optional(),
    data: z
      .record(z.string().max(100), z.string())
      .refine((d) => JSON.stringify(d).length <= FREE_FORM_MAX_BYTES, `Must be at most ${formatNumber(FREE_FORM_MAX_BYTES)} bytes as JSON.`)
      .optional(),
  })
  .openapi("FcmContent");

/** In-app (the user's inbox, issue #9): what an inbox item shows. The item's category, tags and
 *  data come from the message (category, data) — one place for every channel. */
export const InAppContentSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    body: z.string().max(1000).optional(),
    url: HttpsUrl.optional(),
    icon: HttpsUrl.optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(10).optional(),
  })
  .openapi("InAppContent");
export type InAppContent = z.infer<typeof InAppContentSchema>;

export const CHANNEL_CONTENT_SCHEMAS = {
  web_push: ContentSchema,
  in_app: InAppContentSchema,
  email: EmailContentSchema,
  sms: SmsContentSchema,
  whatsapp: WhatsAppContentSchema,
  fcm: FcmContentSchema,
} as const;
export type ContentChannel = keyof typeof CHANNEL_CONTENT_SCHEMAS;
export type ChannelContent = { [C in ContentChannel]: z.infer<(typeof CHANNEL_CONTENT_SCHEMAS)[C]> };

/** Inline content of a message: one entry per channel it should use. */
export const MessageContentSchema = z
  .strictObject({
    web_push: ContentSchema.optional(),
    in_app: InAppContentSchema.optional(),
    email: EmailContentSchema.optional(),
    sms: SmsContentSchema.optional(),
    whatsapp: WhatsAppContentSchema.optional(),
    fcm: FcmContentSchema.optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), "Give content for at least one channel.")
  .openapi("MessageContent");
export type MessageContent = z.infer<typeof MessageContentSchema>;
