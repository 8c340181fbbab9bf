// What the dashboard charts: the site overview (totals and a daily series from the
// roll-up, today's row refreshed first) and one notification's performance (funnel,
// failures by reason, a per-minute series).
import * as q from "../../db/queries/analytics";
import { findSite } from "../../db/queries/sites";
import { ApiError } from "../../errors";
import { addDays, datesBetween, localDate } from "../../lib/timezone";
import type { Deps } from "../deps";
import { getStats } from "../notifications";
import { rollupSiteDay } from "./rollup";

export const MAX_OVERVIEW_DAYS = 366;

export async function overview(deps: Deps, siteId: string, range: { from?: string; to?: string }) {
  const site = await findSite(deps.db, siteId);
  if (!site) throw new ApiError("not_found", "Site not found.");
  const tz = site.settings.timezone || "UTC";
  const today = localDate(tz, deps.now());
  const to = range.to ?? today;
  const from = range.from ?? addDays(to, -29);
  if (from > to) throw new ApiError("validation_failed", "from must not be after to.", [{ path: "from", message: "After to." }]);
  const dates = datesBetween(from, to);
  if (dates.length > MAX_OVERVIEW_DAYS) throw new ApiError("validation_failed", `At most ${MAX_OVERVIEW_DAYS} days.`, [{ path: "from", message: "Range too long." }]);
  if (from <= today && today <= to) await rollupSiteDay(deps, site, today);

  const [rows, subs] = await Promise.all([q.dailyRows(deps.db, siteId, from, to), q.subscriberTotals(deps.db, siteId)]);
  const byDate = new Map(dates.map((date) => [date, { date, subscribers_gained: 0, subscribers_lost: 0, sends: 0, impressions: 0, clicks: 0, ctr: 0, value: 0 }]));
  for (const r of rows) {
    const d = byDate.get(r.date);
    if (!d) continue;
    d.subscribers_gained += r.subscribersGained;
    d.subscribers_lost += r.subscribersLost;
    d.sends += r.sent;
    d.impressions += r.impressions;
    d.clicks += r.clicks;
    d.value += r.value;
  }
  const series = [...byDate.values()].map((d) => ({ ...d, ctr: ratio(d.clicks, d.sends), value: round2(d.value) }));
  const sum = (k: "sends" | "impressions" | "clicks" | "value" | "subscribers_gained" | "subscribers_lost") => series.reduce((a, d) => a + d[k], 0);
  return {
    from,
    to,
    timezone: tz,
    totals: {
      subscribers_total: subs.total,
      subscribers_active: subs.active,
      subscribers_new: sum("subscribers_gained"),
      subscribers_lost: sum("subscribers_lost"),
      sends: sum("sends"),
      impressions: sum("impressions"),
      clicks: sum("clicks"),
      ctr: ratio(sum("clicks"), sum("sends")),
      value: round2(sum("value")),
    },
    series,
  };
}

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : 0);
const round2 = (n: number) => Math.round(n * 100) / 100;

export async function performance(deps: Deps, siteId: string, notificationId: string) {
  const stats = await getStats(deps, siteId, notificationId);
  const { sends, engagement } = await q.minuteSeries(deps.db, siteId, notificationId);
  const minutes = new Map<number, { minute: number; sent: number; failed: number; pruned: number; impressions: number; clicks: number; dismissals: number }>();
  const at = (minute: number) => {
    let m = minutes.get(minute);
    if (!m) minutes.set(minute, (m = { minute, sent: 0, failed: 0, pruned: 0, impressions: 0, clicks: 0, dismissals: 0 }));
    return m;
  };
  for (const { minute, status, n } of sends) {
    const m = at(Number(minute));
    if (status === "sent") m.sent += n;
    else if (status === "pruned") m.pruned += n;
    // skipped / deferred / digested (issue #9 §3) were held back, not sent: neither sent nor failed.
    else if (status === "failed") m.failed += n;
  }
  for (const { minute, type, n } of engagement) {
    const m = at(Number(minute));
    if (type === "impression") m.impressions += n;
    else if (type === "click") m.clicks += n;
    else m.dismissals += n;
  }
  return {
    funnel: { targeted: stats.targeted, sent: stats.sent, impressions: stats.impressions, clicks: stats.clicks },
    failed: stats.failed,
    failed_by_reason: stats.failed_by_reason,
    pruned: stats.pruned,
    dismissals: stats.dismissals,
    ctr: stats.ctr,
    series: [...minutes.values()].sort((a, b) => a.minute - b.minute),
  };
}
