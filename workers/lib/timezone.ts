// Calendar days in a site's IANA timezone, as UTC millisecond ranges (D1's SQLite
// knows only UTC). Handles DST: a local day may be 23 or 25 hours long.
const formatters = new Map<string, Intl.DateTimeFormat>();
/** The wall clock of instant t in tz. */
export function wallClock(tz: string, t: number) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute), s: Number(p.second) };
}

/** The local calendar date (YYYY-MM-DD) of instant t in tz. */
export function localDate(tz: string, t: number): string {
  const { y, m, d } = wallClock(tz, t);
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Offset of tz from UTC at instant t, in ms (local wall clock − UTC). */
export function offsetMs(tz: string, t: number): number {
  const p = wallClock(tz, t);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(t / 1000) * 1000;
}

/** Whether Intl knows the timezone (IANA name). */
export function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The UTC instant of wall time `minutes` after midnight on local `date` (YYYY-MM-DD) in tz. Two
 *  passes settle times next to a DST change; a wall time that does not exist (02:30 on a
 *  spring-forward night) is shifted forward by the gap (03:30), as calendars do. */
export function localTime(tz: string, date: string, minutes: number): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  let t = wall - offsetMs(tz, wall);
  t = wall - offsetMs(tz, t);
  return t;
}

/** The UTC instant of local midnight starting `date` in tz. */
export const localMidnight = (tz: string, date: string): number => localTime(tz, date, 0);

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** [start, end) of the local day in UTC ms. */
export const localDayRange = (tz: string, date: string): [number, number] => [localMidnight(tz, date), localMidnight(tz, addDays(date, 1))];

/** Every date from `from` to `to` inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}
