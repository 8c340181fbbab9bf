// The daily roll-up: per site, per notification, per local calendar date (the site's
// timezone): targeted, sent, failed, pruned, impressions, clicks, dismissals, value
// (clicks × value_per_click), plus a site-level row with subscribers gained and lost.
// Recomputed from the raw rows each time, so the cron job is safe to run twice.
import * as q from "../../db/queries/analytics";
import type { SiteRow } from "../../db/queries/sites";
import { localDate, localDayRange, addDays } from "../../lib/timezone";
import type { Deps } from "../deps";

export const SITE_ROW = ""; // notification_id of the site-level row

export async function rollupSiteDay(deps: Deps, site: Pick<SiteRow, "id" | "settings">, date: string): Promise<number> {
  const tz = site.settings.timezone || "UTC";
  const [start, end] = localDayRange(tz, date);
  const [outcomes, engagement, started, subs] = await Promise.all([
    q.deliveriesByNotification(deps.db, site.id, start, end),
    q.eventsByNotification(deps.db, site.id, start, end),
    q.startedNotifications(deps.db, site.id, start, end),
    q.subscriberChanges(deps.db, site.id, start, end),
  ]);
  const now = deps.now();
  const rows = new Map<string, q.DailyRow>();
  const row = (notificationId: string) => {
    let r = rows.get(notificationId);
    if (!r) {
      r = { siteId: site.id, notificationId, date, targeted: 0, sent: 0, failed: 0, pruned: 0, impressions: 0, clicks: 0, dismissals: 0, value: 0, subscribersGained: 0, subscribersLost: 0, updatedAt: now };
      rows.set(notificationId, r);
    }
    return r;
  };
  const site0 = row(SITE_ROW);
  site0.subscribersGained = subs.gained;
  site0.subscribersLost = subs.lost;
  for (const n of started) row(n.id).targeted = n.targeted;
  for (const { notificationId, status, n } of outcomes) {
    const r = row(notificationId);
    if (status === "sent") r.sent += n;
    else if (status === "pruned") r.pruned += n;
    // skipped / deferred / digested (issue #9 §3) were held back, not sent: neither sent nor failed.
    else if (status === "failed") r.failed += n;
  }
  for (const { notificationId, type, n } of engagement) {
    const r = row(notificationId);
    if (type === "impression") r.impressions += n;
    else if (type === "click") r.clicks += n;
    else if (type === "dismiss") r.dismissals += n;
  }
  const valuePerClick = site.settings.value_per_click ?? 0;
  for (const r of rows.values()) r.value = Math.round(r.clicks * valuePerClick * 100) / 100;
  await q.replaceDay(deps.db, site.id, date, [...rows.values()], now);
  return rows.size;
}

/** Today and yesterday in the site's timezone (late events land on the previous day too). */
export function recentDates(tz: string, now: number): string[] {
  const today = localDate(tz, now);
  return [addDays(today, -1), today];
}
