// The calendar of recurring series (services/recurring/schedule.ts), with the clock passed in:
// daily / weekly / monthly every N, month ends clamped, the leap day, end dates, DST days, and
// runs on each subscriber's clock (due when the first timezone gets there).
import { describe, expect, it } from "vitest";
import type { Recurrence } from "../../workers/contracts/recurring";
import { isRunDate, nextRun, nextRuns } from "../../workers/services/recurring/schedule";

const dates = (r: Recurrence, tz: string, after: number, n: number) => nextRuns(r, tz, after, n).map((x) => x.date);
const JAN1 = Date.UTC(2026, 0, 1, 0, 0);

describe("recurring schedule", () => {
  it("runs daily every N days from the start date, at the time in the site's timezone", () => {
    const r: Recurrence = { frequency: "daily", interval: 3, time: "09:00", start_date: "2026-01-02" };
    expect(dates(r, "Europe/Paris", JAN1, 4)).toEqual(["2026-01-02", "2026-01-05", "2026-01-08", "2026-01-11"]);
    expect(nextRun(r, "Europe/Paris", JAN1)).toEqual({ date: "2026-01-02", at: Date.UTC(2026, 0, 2, 8, 0) });
    // After today's 09:00 has passed, the next is three days on.
    expect(nextRun(r, "Europe/Paris", Date.UTC(2026, 0, 2, 8, 0))!.date).toBe("2026-01-05");
  });

  it("runs weekly on the chosen weekdays, every other week counted from the start's week", () => {
    const r: Recurrence = { frequency: "weekly", interval: 2, weekdays: [1, 4], time: "18:30", start_date: "2026-01-07" }; // a Wednesday
    // Week of 5 Jan: Thu 8th (Mon 5th is before the start); skip the week of 12th; week of 19th: Mon, Thu.
    expect(dates(r, "UTC", JAN1, 5)).toEqual(["2026-01-08", "2026-01-19", "2026-01-22", "2026-02-02", "2026-02-05"]);
    expect(isRunDate(r, "2026-01-12")).toBe(false);
  });

  it("runs monthly on a day, clamped to the month's last day, the leap day included", () => {
    const r: Recurrence = { frequency: "monthly", day_of_month: 31, time: "08:00", start_date: "2027-12-15" };
    expect(dates(r, "UTC", Date.UTC(2027, 11, 1), 5)).toEqual(["2027-12-31", "2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"]);
    const every3: Recurrence = { frequency: "monthly", interval: 3, day_of_month: 29, time: "08:00", start_date: "2026-11-01" };
    expect(dates(every3, "UTC", Date.UTC(2026, 10, 1), 3)).toEqual(["2026-11-29", "2027-02-28", "2027-05-29"]);
  });

  it("stops at the end date", () => {
    const r: Recurrence = { frequency: "daily", time: "09:00", start_date: "2026-01-01", end_date: "2026-01-03" };
    expect(dates(r, "UTC", 0, 10)).toEqual(["2026-01-01", "2026-01-02", "2026-01-03"]);
    expect(nextRun(r, "UTC", Date.UTC(2026, 0, 3, 9, 0))).toBeNull();
  });

  it("keeps the wall-clock time across DST changes (Paris: 29 March and 25 October 2026)", () => {
    const r: Recurrence = { frequency: "daily", time: "09:00", start_date: "2026-03-28" };
    const runs = nextRuns(r, "Europe/Paris", Date.UTC(2026, 2, 27), 3).map((x) => new Date(x.at).toISOString());
    expect(runs).toEqual(["2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"]);
    const fall = nextRuns({ ...r, start_date: "2026-10-24" }, "Europe/Paris", Date.UTC(2026, 9, 23), 2).map((x) => new Date(x.at).toISOString());
    expect(fall).toEqual(["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z"]);
  });

  it("on subscribers' clocks: due when the first timezone (UTC+14) reaches the time", () => {
    const r: Recurrence = { frequency: "daily", time: "09:00", start_date: "2026-01-10", timezone: "subscriber" };
    expect(nextRun(r, "Europe/Paris", JAN1)).toEqual({ date: "2026-01-10", at: Date.UTC(2026, 0, 9, 19, 0) });
  });
});
