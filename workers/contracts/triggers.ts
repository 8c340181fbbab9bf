// Inbound webhook triggers (issue #10 §6): a URL a site's systems POST JSON to, which Herald
// maps into a message and sends. One definition: the API validates with these, services/
// triggers maps and sends, the dashboard imports the types.
import { z } from "@hono/zod-openapi";
import { CHANNEL_IDS } from "./channels";
import { CategoryKey, PRIORITIES } from "./preferences";
import { TargetSchema } from "./target";

/** signed: X-Herald-Signature (HMAC-SHA256, timestamped) required; token_only: the secret URL suffices. */
export const TRIGGER_MODES = ["signed", "token_only"] as const;

/** A dotted path into the payload: order.customer.id, items.0.sku. */
const PayloadPath = z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){0,9}$/, "Must be a dotted path like order.customer.id (letters, digits, '_', '-').");
/** A Liquid template over { payload } (e.g. "Order {{ payload.order.id }} shipped"). */
const Liquid = z.string().min(1).max(2000);

export const TriggerContent = z
  .strictObject({
    web_push: z.strictObject({ title: Liquid, body: Liquid.optional(), url: Liquid.optional(), icon: Liquid.optional(), image: Liquid.optional() }).optional(),
    in_app: z.strictObject({ title: Liquid, body: Liquid.optional(), url: Liquid.optional() }).optional(),
    email: z.strictObject({ subject: Liquid, text: Liquid.optional(), html: z.string().min(1).max(100_000).optional() }).optional(),
    sms: z.strictObject({ text: Liquid }).optional(),
    whatsapp: z.strictObject({ text: Liquid }).optional(),
    fcm: z.strictObject({ title: Liquid, body: Liquid.optional() }).optional(),
  })
  .refine((c) => Object.keys(c).length > 0, "Write the message for at least one channel.")
  .openapi("TriggerContent", { example: { web_push: { title: "Order {{ payload.order.id }} shipped" } } });

export const TriggerMapping = z
  .strictObject({
    /** Inline content whose fields are Liquid over { payload }… */
    content: TriggerContent.optional(),
    /** …or a published template, rendered with the payload as its `data`. */
    template: z.string().min(1).max(64).optional(),
    /** Who: the external id (or a list of them) at this payload path… */
    external_id_path: PayloadPath.optional(),
    /** …or a fixed audience (all, tags, a segment). */
    target: TargetSchema.optional(),
    channels: z.array(z.enum(CHANNEL_IDS)).min(1).optional(),
    category: CategoryKey.optional(),
    priority: z.enum(PRIORITIES).optional(),
    /** Deduplicate calls by the value at this payload path (else by the Idempotency-Key header only). */
    idempotency_path: PayloadPath.optional(),
  })
  .refine((m) => (m.content === undefined) !== (m.template === undefined), { message: "Give content or template (one of them).", path: ["content"] })
  .refine((m) => (m.external_id_path === undefined) !== (m.target === undefined), { message: "Give external_id_path or target (one of them).", path: ["external_id_path"] })
  .openapi("TriggerMapping");
export type TriggerMapping = z.infer<typeof TriggerMapping>;

export const TriggerInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    mode: z.enum(TRIGGER_MODES).optional(),
    mapping: TriggerMapping,
    rate_limit_per_minute: z.number().int().min(1).max(6000).optional(),
    enabled: z.boolean().optional(),
  })
  .openapi("TriggerInput");
export type TriggerInput = z.infer<typeof TriggerInput>;

export interface TriggerView {
  id: string;
  name: string;
  mode: (typeof TRIGGER_MODES)[number];
  mapping: TriggerMapping;
  rate_limit_per_minute: number;
  enabled: boolean;
  /** The URL's last characters, to recognise it (the full URL is shown once). */
  url_hint: string;
  secret_hint: string;
  last_call: { at: number; status: number } | null;
  created_at: number;
  updated_at: number;
}

/** One received call, as the log shows it. */
export interface TriggerCallView {
  id: string;
  at: number;
  status: number;
  outcome: "sent" | "duplicate" | "rejected" | "test";
  error: string | null;
  field: string | null;
  message_id: string | null;
  rendered: Record<string, unknown> | null;
}
