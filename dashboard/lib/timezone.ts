// Wall-clock time in a named IANA time zone ↔ unix milliseconds, with Intl only: the
// compose page schedules "at 09:00 in the site's time zone", whatever the viewer's zone.

/** Offset of `timeZone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(ms);
  } catch {
    return 0; // an instant outside Date's range or an unknown zone: callers check their result
  }
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** "2026-12-01T09:00" read as a wall clock in `timeZone` → unix ms (DST gaps resolve forward). */
export function wallClockToMs(local: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const guess = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  let ms = guess - zoneOffsetMs(guess, timeZone);
  // A second pass settles instants near an offset change.
  ms = guess - zoneOffsetMs(ms, timeZone);
  return Number.isFinite(ms) ? ms : null;
}

/** unix ms → "YYYY-MM-DDTHH:mm" wall clock in `timeZone` (for <input type="datetime-local">);
 *  "" for an instant a Date cannot hold. */
export function msToWallClock(ms: number, timeZone: string): string {
  const d = new Date(ms + zoneOffsetMs(ms, timeZone));
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 16);
}

export function allTimeZones(): string[] {
  const list = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return list.includes("UTC") ? list : ["UTC", ...list];
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
