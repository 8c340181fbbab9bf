// When a recurring series runs (issue #10 §3). Pure, the clock passed in. A run is a calendar
// date that matches the rule, due at the rule's time on it:
//
//   daily     every `interval` days counted from start_date
//   weekly    on `weekdays`, every `interval` weeks counted from start_date's week (Mon–Sun)
//   monthly   on day_of_month, every `interval` months counted from start_date's month;
//             29–31 fall on the month's last day in shorter months (31 → 30 April, 28/29 Feb)
//   between start_date and end_date (inclusive)
//
// due at: `time` in the site's timezone (timezone "site"), or — "subscriber" — when the first
// timezone on Earth reaches `time` on that date; the run's notification then carries a local
// delivery time (services/preferences/decide.ts) so each subscriber gets it on their own clock.
// DST-correct through lib/timezone.ts localTime.
import type { Recurrence, RunTime } from "../../contracts/recurring";
import { addDays, localDate, localTime } from "../../lib/timezone";
import { localDeliverySpan } from "../preferences/local-delivery";
import { minutesOf } from "../preferences/quiet-hours";

/** Days scanned looking for the next run: more than any rule's gap (52 months). */
const MAX_SCAN_DAYS = 1700;

const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
/** ISO weekday, 1 = Monday … 7 = Sunday. */
const isoWeekday = (date: string) => ((dayNumber(date) + 3) % 7) + 1; // 1970-01-01 was a Thursday
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Whether `date` (YYYY-MM-DD) is a run date of the rule. */
export function isRunDate(r: Recurrence, date: string): boolean {
  if (date < r.start_date || (r.end_date !== undefined && date > r.end_date)) return false;
  const every = r.interval ?? 1;
  switch (r.frequency) {
    case "daily":
      return (dayNumber(date) - dayNumber(r.start_date)) % every === 0;
    case "weekly": {
      if (!r.weekdays!.includes(isoWeekday(date))) return false;
      const weekOf = (d: string) => dayNumber(d) - (isoWeekday(d) - 1);
      return ((weekOf(date) - weekOf(r.start_date)) / 7) % every === 0;
    }
    case "monthly": {
      const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
      const months = y * 12 + m - (Number(r.start_date.slice(0, 4)) * 12 + Number(r.start_date.slice(5, 7)));
      return months % every === 0 && d === Math.min(r.day_of_month!, daysInMonth(y, m));
    }
  }
}

/** The instant a run on `date` is due. */
export function runAt(r: Recurrence, date: string, siteTz: string): number {
  return r.timezone === "subscriber" ? localDeliverySpan({ time: r.time, date })[0] : localTime(siteTz, date, minutesOf(r.time));
}

/** The first run due strictly after `after`, or null when the series has no more. */
export function nextRun(r: Recurrence, siteTz: string, after: number): RunTime | null {
  // Start a day early: a run's date is local, and its instant may fall on the UTC day before.
  let date = addDays(localDate(r.timezone === "subscriber" ? "Etc/GMT+12" : siteTz, after), -1);
  if (date < r.start_date) date = r.start_date;
  for (let i = 0; i < MAX_SCAN_DAYS; i++, date = addDays(date, 1)) {
    if (r.end_date !== undefined && date > r.end_date) return null;
    if (!isRunDate(r, date)) continue;
    const at = runAt(r, date, siteTz);
    if (at > after) return { date, at };
  }
  return null;
}

/** The next `n` runs after `after`. */
export function nextRuns(r: Recurrence, siteTz: string, after: number, n: number): RunTime[] {
  const out: RunTime[] = [];
  for (let run = nextRun(r, siteTz, after); run && out.length < n; run = nextRun(r, siteTz, run.at)) out.push(run);
  return out;
}
