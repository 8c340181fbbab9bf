// Request/response schemas shared by several route files (shapes shared beyond the routes —
// target, content, URLs — live in contracts/).
import { z } from "@hono/zod-openapi";
import { pathId } from "../lib/hono";
import { INBOX_RETENTION_DAYS_DEFAULT, INBOX_RETENTION_DAYS_MAX } from "../config";
import { HttpsUrl } from "../contracts/common";
import { FrequencyCapSchema, QuietHoursSchema } from "../contracts/preferences";
import { isTimezone } from "../lib/timezone";

export const SiteParams = z.object({ siteId: pathId("siteId", "site_01jd0000000000000000000000") });

export { isTimezone };

export function isCurrency(code: string): boolean {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("currency").includes(code);
  } catch {
    return false;
  }
}

const Origin = z
  .string()
  .max(255)
  .refine((s) => {
    try {
      return new URL(s).origin === s;
    } catch {
      return false;
    }
  }, "Must be an origin like https://shop.example.com (scheme, host, optional port; no path).")
  .openapi({ example: "https://shop.example.com" });

export const SettingsSchema = z
  .object({
    timezone: z.string().openapi({ example: "Europe/Paris" }),
    default_ttl_s: z.number().int(),
    default_icon: z.string().nullable(),
    value_per_click: z.number(),
    currency: z.string().optional().openapi({ example: "EUR", description: "ISO 4217 currency of value figures (USD when unset)" }),
    allowed_origins: z.array(z.string()),
    soft_prompt: z.object({ enabled: z.boolean(), text: z.string(), delay_s: z.number().int() }),
    inbox_retention_days: z.number().int().optional().openapi({ description: "In-app inbox items are deleted this many days after they arrive (90 when unset)" }),
    quiet_hours: QuietHoursSchema.nullable().optional().openapi({ description: "Quiet hours of users who set none, in each user's timezone (else the site's); none when unset" }),
    frequency_cap: FrequencyCapSchema.nullable().optional().openapi({ description: "At most this many notifications per recipient per day / week; none when unset" }),
  })
  .openapi("SiteSettings");

export const SettingsPatch = z
  .strictObject({
    timezone: z.string().max(64).refine(isTimezone, "Unknown IANA timezone.").optional().openapi({ example: "Europe/Paris" }),
    default_ttl_s: z.number().int().min(0).max(28 * 24 * 3600).optional().openapi({ description: "Seconds; 0 = deliver now or never" }),
    default_icon: HttpsUrl.nullable().optional(),
    value_per_click: z.number().min(0).max(1_000_000).optional().openapi({ description: "Value credited per click (site currency)" }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 currency code such as USD or EUR.")
      .refine(isCurrency, "This is not a currency code we know; use one such as USD, EUR or GBP.")
      .optional()
      .openapi({ example: "EUR" }),
    allowed_origins: z.array(Origin).max(50).optional(),
    soft_prompt: z
      .strictObject({
        enabled: z.boolean().optional(),
        text: z.string().trim().min(1).max(200).optional(),
        delay_s: z.number().int().min(0).max(600).optional(),
      })
      .optional(),
    inbox_retention_days: z
      .number()
      .int()
      .min(1)
      .max(INBOX_RETENTION_DAYS_MAX)
      .optional()
      .openapi({ description: `Days an in-app inbox item is kept (1–${INBOX_RETENTION_DAYS_MAX}; default ${INBOX_RETENTION_DAYS_DEFAULT})` }),
    quiet_hours: QuietHoursSchema.refine((q) => q.timezone === undefined || isTimezone(q.timezone), { message: "Unknown IANA timezone.", path: ["timezone"] })
      .nullable()
      .optional()
      .openapi({ description: "The default quiet hours (22:00–08:00 style, may wrap midnight); null removes them" }),
    frequency_cap: FrequencyCapSchema.nullable()
      .optional()
      .openapi({ description: "At most per_day notifications per recipient in any 24 hours and per_week in any 7 days, across every send path (urgent sends and required categories pass); null removes the cap" }),
  })
  .openapi("SiteSettingsPatch");

export const RoleSchema = z.enum(["owner", "admin", "member"]).openapi({ example: "member" });

export const SiteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    site_key: z.string().openapi({ description: "Public key used by the SDK tag" }),
    settings: SettingsSchema,
    vapid_public_key: z.string().openapi({ description: "VAPID application server key (b64url)" }),
    vapid_warning: z.string().nullable(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
    role: RoleSchema.optional(),
  })
  .openapi("Site");

export { FreeFormData, HttpsUrl } from "../contracts/common";
