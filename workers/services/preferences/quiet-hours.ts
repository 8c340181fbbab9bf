// Wall-clock times of day in an IANA timezone, as UTC instants (D1 and the clock know only UTC):
// whether an instant falls inside a quiet-hours window (which may wrap midnight, 22:00–08:00)
// and when the window ends; the next daily digest time. DST-correct: a local time is found by
// the two-pass offset method of lib/timezone.ts localMidnight, so 08:00 on the day clocks
// change is 08:00 on the wall, not midnight plus eight hours. A wall time that does not exist
// (02:30 on a spring-forward night) is shifted forward by the gap (03:30), as calendars do.
import type { QuietHours } from "../../contracts/preferences";
import { addDays, isTimezone, localDate, localTime as wallTime, wallClock } from "../../lib/timezone";

export { isTimezone };

/** "HH:MM" → minutes after midnight. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes after local midnight at instant t. */
function localMinutes(tz: string, t: number): number {
  const p = wallClock(tz, t);
  return p.h * 60 + p.min;
}

/**
 * When the quiet window that `now` falls in ends (a UTC instant), or null when `now` is outside
 * it. Start inclusive, end exclusive: 22:00–08:00 holds 22:00 and 07:59, not 08:00.
 */
export function quietUntil(q: Pick<QuietHours, "start" | "end">, tz: string, now: number): number | null {
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  const at = localMinutes(tz, now);
  const today = localDate(tz, now);
  if (start < end) return at >= start && at < end ? wallTime(tz, today, end) : null;
  // Wraps midnight: in the evening part the window ends tomorrow, in the morning part today.
  if (at >= start) return wallTime(tz, addDays(today, 1), end);
  if (at < end) return wallTime(tz, today, end);
  return null;
}

/** The next instant after `now` whose wall clock in tz reads `hhmm` (a daily digest's time). */
export function nextDaily(hhmm: string, tz: string, now: number): number {
  const today = localDate(tz, now);
  const t = wallTime(tz, today, minutesOf(hhmm));
  return t > now ? t : wallTime(tz, addDays(today, 1), minutesOf(hhmm));
}
