// Number, date, money and duration formatting shared by the pages (the viewer's locale).
// Every formatter takes whatever the API sent and never throws: old rows can hold odd
// values (a scheduled_at of 2^53 − 1, a null, an unknown time zone), and a formatter that
// throws takes the whole page down with it. Anything unreadable is shown as "—".
import { DATE_MAX_MS, DEFAULT_SITE_SETTINGS } from "../../workers/config";

const int = new Intl.NumberFormat();
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const pct = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });

const num = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n);

export const fmtInt = (n: number | null | undefined) => (num(n) ? int.format(n) : "—");
export const fmtCompact = (n: number | null | undefined) => (!num(n) ? "—" : Math.abs(n) < 10_000 ? int.format(n) : compact.format(n));
/** ctr arrives as a ratio (0.034) from the API. */
export const fmtPct = (ratio: number | null | undefined) => (num(ratio) ? pct.format(ratio) : "—");

// ─── Money ──────────────────────────────────────────────────────────────────
/** What older sites (no currency setting) count in: the API's default. */
export const DEFAULT_CURRENCY = DEFAULT_SITE_SETTINGS.currency;
const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(currency: string): Intl.NumberFormat {
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, { style: "currency", currency });
    } catch {
      // Not an ISO 4217 code this browser knows: plain number, code after it.
      const plain = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      f = { format: (n: number) => `${plain.format(n)} ${currency}` } as Intl.NumberFormat;
    }
    moneyFormats.set(currency, f);
  }
  return f;
}
/** A money figure in the site's currency (settings.currency, ISO 4217), e.g. "€2.10". */
export const fmtMoney = (n: number | null | undefined, currency: string | null | undefined) =>
  num(n) ? moneyFormat(currency || DEFAULT_CURRENCY).format(n) : "—";
/** Decimal places the currency uses (JPY 0, EUR 2, KWD 3), for input steps. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}
/** "EUR — Euro" (the name in the viewer's language when the browser knows it). */
export function currencyLabel(code: string): string {
  try {
    const name = new Intl.DisplayNames(undefined, { type: "currency" }).of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}

// ─── Dates ──────────────────────────────────────────────────────────────────
/** A unix-ms instant a Date can hold, or null. 0 counts as missing: the API never sends it. */
export function validMs(ms: number | null | undefined): number | null {
  return num(ms) && ms !== 0 && Math.abs(ms) <= DATE_MAX_MS ? ms : null;
}

export function fmtDate(ms: number | null | undefined, timeZone?: string) {
  const t = validMs(ms);
  if (t === null) return "—";
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone }).format(t);
  } catch {
    // An unknown time zone name (RangeError): the viewer's own zone is better than nothing.
    try {
      return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(t);
    } catch {
      return "—";
    }
  }
}

export function fmtRelative(ms: number | null | undefined) {
  const t = validMs(ms);
  if (t === null) return "—";
  const diff = t - Date.now();
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  if (abs < 60_000) return rtf.format(Math.round(diff / 1000), "second");
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), "minute");
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), "hour");
  if (abs < 30 * 86_400_000) return rtf.format(Math.round(diff / 86_400_000), "day");
  return fmtDate(t);
}

// ─── Durations (TTL) ────────────────────────────────────────────────────────
/** Units a person picks a duration in; the API takes seconds. */
export const DURATION_UNITS = [
  ["minutes", 60],
  ["hours", 3600],
  ["days", 86400],
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number][0];
export const unitSeconds = (unit: DurationUnit) => DURATION_UNITS.find(([u]) => u === unit)![1];

/** The largest unit that shows `seconds` as a whole number (else minutes, with decimals). */
export function splitDuration(seconds: number): { value: number; unit: DurationUnit } {
  if (!num(seconds) || seconds <= 0) return { value: 0, unit: "hours" };
  for (const [unit, size] of [...DURATION_UNITS].reverse()) if (seconds % size === 0) return { value: seconds / size, unit };
  return { value: Math.round((seconds / 60) * 100) / 100, unit: "minutes" };
}

export function fmtDuration(seconds: number | null | undefined) {
  if (!num(seconds) || seconds < 0) return "—";
  if (seconds === 0) return "deliver now or never";
  // Days rather than weeks: the units a duration is typed in (DurationField).
  const units: [number, string][] = [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
  for (const [size, name] of units) if (seconds % size === 0) return `${int.format(seconds / size)} ${name}${seconds / size === 1 ? "" : "s"}`;
  return `${int.format(seconds)} seconds`;
}

export const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};
