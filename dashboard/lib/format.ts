// Number, date and percentage formatting shared by the pages (the viewer's locale).
const int = new Intl.NumberFormat();
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const pct = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, minimumFractionDigits: 2 });

export const fmtInt = (n: number | null | undefined) => (n == null ? "—" : int.format(n));
export const fmtCompact = (n: number | null | undefined) => (n == null ? "—" : n < 10_000 ? int.format(n) : compact.format(n));
/** ctr arrives as a ratio (0.034) from the API. */
export const fmtPct = (ratio: number | null | undefined) => (ratio == null || !Number.isFinite(ratio) ? "—" : pct.format(ratio));
export const fmtMoney = (n: number | null | undefined) => (n == null ? "—" : money.format(n));

export function fmtDate(ms: number | null | undefined, timeZone?: string) {
  if (!ms) return "—";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone }).format(ms);
}

export function fmtRelative(ms: number | null | undefined) {
  if (!ms) return "—";
  const diff = ms - Date.now();
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  if (abs < 60_000) return rtf.format(Math.round(diff / 1000), "second");
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), "minute");
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), "hour");
  if (abs < 30 * 86_400_000) return rtf.format(Math.round(diff / 86_400_000), "day");
  return fmtDate(ms);
}

export function fmtDuration(seconds: number) {
  if (seconds === 0) return "deliver now or never";
  const units: [number, string][] = [[86400 * 7, "week"], [86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
  for (const [size, name] of units) if (seconds % size === 0) return `${seconds / size} ${name}${seconds / size === 1 ? "" : "s"}`;
  return `${seconds} seconds`;
}

export const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};
