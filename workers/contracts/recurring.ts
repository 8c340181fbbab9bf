// Recurring notifications (issue #10 §3): a series sends a campaign on a calendar rule — daily,
// weekly on chosen weekdays, or monthly on a day of the month (clamped for short months), every
// N periods — at a time of day in the site's timezone or on each subscriber's own clock, from a
// start date to an optional end date. One definition: the API validates with these, the
// scheduler (services/recurring/schedule.ts) computes runs from them, the dashboard imports the
// types.
import { z } from "@hono/zod-openapi";
import { CalendarDate, ClockTime } from "./preferences";

export const FREQUENCIES = ["daily", "weekly", "monthly"] as const;
export type Frequency = (typeof FREQUENCIES)[number];
/** ISO weekday numbers: 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export const RecurrenceSchema = z
  .strictObject({
    frequency: z.enum(FREQUENCIES),
    /** Every N days / weeks / months (1 = every one). */
    interval: z.number().int().min(1).max(52).optional(),
    /** weekly: the ISO weekdays it runs on (1 = Monday … 7 = Sunday). */
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).optional(),
    /** monthly: the day of the month; 29–31 run on the month's last day in shorter months. */
    day_of_month: z.number().int().min(1).max(31).optional(),
    time: ClockTime,
    /** site: at `time` in the site's timezone; subscriber: at `time` on each subscriber's own clock. */
    timezone: z.enum(["site", "subscriber"]).optional(),
    start_date: CalendarDate,
    end_date: CalendarDate.optional(),
  })
  .refine((r) => r.frequency !== "weekly" || !!r.weekdays?.length, { message: "Pick the weekdays it runs on.", path: ["weekdays"] })
  .refine((r) => r.frequency !== "monthly" || r.day_of_month !== undefined, { message: "Pick the day of the month.", path: ["day_of_month"] })
  .refine((r) => r.end_date === undefined || r.end_date >= r.start_date, { message: "Must be on or after the start date.", path: ["end_date"] })
  .openapi("Recurrence", { example: { frequency: "weekly", weekdays: [1, 4], time: "09:00", start_date: "2026-12-01" } });
export type Recurrence = z.infer<typeof RecurrenceSchema>;

export const SERIES_STATUSES = ["active", "paused", "ended"] as const;
export type SeriesStatus = (typeof SERIES_STATUSES)[number];

/** One run: its calendar date (the key: one run per date) and the instant it is due. */
export interface RunTime {
  date: string;
  at: number;
}

/** A series as the API answers (routes/recurring.ts SeriesSchema validates it); `N` is the
 *  campaign each run sends (a create-notification request without its schedule). */
export interface SeriesView<N = Record<string, unknown>> {
  id: string;
  name: string;
  status: SeriesStatus;
  recurrence: Recurrence;
  catch_up: boolean;
  notification: N;
  next_run_at: number | null;
  next_runs: RunTime[];
  last_run_at: number | null;
  last_error: string | null;
  runs_count: number;
  created_at: number;
  updated_at: number;
}
