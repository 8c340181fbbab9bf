// What a user wants to receive (issue #9 §3): the site's notification categories, a user's
// channel switches and per-category overrides, quiet hours, digest rules, and a send's priority.
// One definition: the end-user API (/api/inbox/preferences), the server API
// (…/users/{externalId}/preferences, …/categories), the decision every send path goes through
// (services/preferences/decide.ts) and the SDK's preferences tab use these shapes.
import { z } from "@hono/zod-openapi";
import { CHANNEL_IDS, type ChannelId } from "./channels";

/** normal: preferences, quiet hours and digests apply. urgent: delivered now, through quiet
 *  hours and outside digests (opt-outs still apply, except for categories users cannot leave). */
export const PRIORITIES = ["normal", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CategoryKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "Must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit.")
  .openapi({ example: "comments" });

/** "HH:MM", 24-hour clock, in the user's timezone. */
export const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Must be a time of day as HH:MM (24-hour clock), e.g. 22:00.")
  .openapi({ example: "22:00" });

/** Per-channel switches: a channel left out keeps its default (on). */
export const ChannelSwitches = z
  .partialRecord(z.enum(CHANNEL_IDS), z.boolean())
  .openapi("ChannelSwitches", { example: { email: false, sms: true } });
export type ChannelSwitches = Partial<Record<ChannelId, boolean>>;

/** A calendar date, YYYY-MM-DD (a real one: 2027-02-29 is refused). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Must be a date such as 2026-12-01 (YYYY-MM-DD).")
  .refine((d) => {
    // Runs even when the pattern failed: an unparsable string must answer false, not throw.
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, "Must be a real calendar date.")
  .openapi({ example: "2026-12-01" });

/** Delivery in each recipient's local time (issue #10 §2): every recipient gets the send when
 *  their own clock reads `time` — on `date`, or at the first such moment after the send starts —
 *  in their timezone (the user's profile, else the browser's, else the site's). The send starts
 *  as usual (now or at scheduled_at); recipients whose moment is still ahead wait as `deferred`
 *  ("local_time") and are released by the same job as quiet hours. A moment already past when the
 *  send reaches them goes at once. */
export const LocalDeliverySchema = z
  .strictObject({ time: ClockTime, date: CalendarDate.optional() })
  .openapi("LocalDelivery", { example: { time: "09:00", date: "2026-12-01" } });
export type LocalDelivery = z.infer<typeof LocalDeliverySchema>;

/** A window of the day in which non-urgent sends wait (it may wrap midnight: 22:00–08:00).
 *  `timezone` defaults to the user's profile timezone, then the site's. */
export const QuietHoursSchema = z
  .strictObject({ start: ClockTime, end: ClockTime, timezone: z.string().max(64).optional() })
  .refine((q) => q.start !== q.end, { message: "Start and end must differ.", path: ["end"] })
  .openapi("QuietHours", { example: { start: "22:00", end: "08:00" } });
export type QuietHours = z.infer<typeof QuietHoursSchema>;

/** Events of a digest category collect for a window — a number of minutes from the first event,
 *  or until a daily time in the user's timezone — then go out as one message per user and channel
 *  ("5 new comments"). `channels`: the channels that get the digest; the others (by default
 *  in_app) get each event on its own. */
export const DigestRuleSchema = z
  .strictObject({
    window_minutes: z.number().int().min(1).max(1440).optional(),
    daily_at: ClockTime.optional(),
    channels: z.array(z.enum(CHANNEL_IDS)).min(1).optional(),
  })
  .refine((d) => (d.window_minutes === undefined) !== (d.daily_at === undefined), { message: "Give window_minutes or daily_at (one of them).", path: ["window_minutes"] })
  .openapi("DigestRule", { example: { window_minutes: 30 } });
export type DigestRule = z.infer<typeof DigestRuleSchema>;
/** The digest key of a template's digest (a category's is the category key, which has no ':'). */
export const TEMPLATE_DIGEST_PREFIX = "template:";

/** A site's frequency cap: at most `per_day` notifications per recipient in any 24 hours and
 *  `per_week` in any 7 days (rolling), across every send path, counted once per notification
 *  however many of `channels` carry it. `channels` defaults to every channel but in_app (the
 *  inbox does not interrupt). Urgent sends and required categories pass. */
export const FrequencyCapSchema = z
  .strictObject({
    per_day: z.number().int().min(1).max(1000).nullable().optional(),
    per_week: z.number().int().min(1).max(5000).nullable().optional(),
    channels: z.array(z.enum(CHANNEL_IDS)).min(1).optional(),
  })
  .refine((c) => (c.per_day ?? null) !== null || (c.per_week ?? null) !== null, { message: "Give per_day, per_week or both.", path: ["per_day"] })
  .refine((c) => c.per_day == null || c.per_week == null || c.per_week >= c.per_day, { message: "A week cannot allow fewer than a day.", path: ["per_week"] })
  .openapi("FrequencyCap", { example: { per_day: 3, per_week: 10 } });
export type FrequencyCap = z.infer<typeof FrequencyCapSchema>;

/** A site's category (POST/PATCH …/categories). */
export const CategoryInput = z
  .strictObject({
    key: CategoryKey,
    name: z.string().trim().min(1).max(100),
    description: z.string().max(500).nullable().optional(),
    /** Whether users get it before they choose. */
    default_enabled: z.boolean().optional(),
    /** Users cannot switch it off (security alerts, receipts). */
    required: z.boolean().optional(),
    /** Default channel switches for this category (e.g. no SMS for comments). */
    channels: ChannelSwitches.optional(),
    digest: DigestRuleSchema.nullable().optional(),
  })
  .openapi("CategoryInput");

export const CategorySchema = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    default_enabled: z.boolean(),
    required: z.boolean(),
    channels: ChannelSwitches,
    digest: DigestRuleSchema.nullable(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("Category");
export type Category = z.infer<typeof CategorySchema>;

/** A user's own choices, as stored. */
export interface StoredPreferences {
  channels?: ChannelSwitches;
  categories?: Record<string, { enabled?: boolean; channels?: ChannelSwitches }>;
  quiet_hours?: QuietHours | null;
}

/** PUT …/preferences: merges into what is stored. A category set to null drops the user's
 *  override (back to the site's default); quiet_hours null removes the user's own window. */
export const UpdatePreferencesRequest = z
  .strictObject({
    channels: ChannelSwitches.optional(),
    categories: z
      .record(CategoryKey, z.strictObject({ enabled: z.boolean().optional(), channels: ChannelSwitches.optional() }).nullable())
      .optional(),
    quiet_hours: QuietHoursSchema.nullable().optional(),
  })
  .openapi("UpdatePreferencesRequest", { example: { channels: { sms: false }, categories: { comments: { enabled: false } }, quiet_hours: { start: "22:00", end: "08:00" } } });
export type UpdatePreferencesInput = z.infer<typeof UpdatePreferencesRequest>;

/** What a user's preferences come to: every channel and every site category with its effective
 *  switch, the user's quiet hours and the site's default window. */
export const PreferencesViewSchema = z
  .object({
    channels: z.record(z.enum(CHANNEL_IDS), z.boolean()),
    categories: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        description: z.string().nullable(),
        enabled: z.boolean(),
        required: z.boolean(),
        channels: z.record(z.enum(CHANNEL_IDS), z.boolean()),
      }),
    ),
    quiet_hours: QuietHoursSchema.nullable(),
    site_quiet_hours: QuietHoursSchema.nullable(),
  })
  .openapi("Preferences");
export type PreferencesView = z.infer<typeof PreferencesViewSchema>;
