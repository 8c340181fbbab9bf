// Every 10 minutes: re-roll today and yesterday (site-local dates) for every site.
import { listSitesPage } from "../db/queries/sites";
import { recentDates, rollupSiteDay } from "../services/analytics/rollup";
import type { Deps } from "../services/deps";

const SITES_PER_PAGE = 100;

export async function runAnalyticsRollup(deps: Deps): Promise<{ sites: number; rows: number }> {
  let after = "";
  let sites = 0;
  let rows = 0;
  for (;;) {
    const page = await listSitesPage(deps.db, after, SITES_PER_PAGE);
    for (const site of page) {
      for (const date of recentDates(site.settings.timezone || "UTC", deps.now())) rows += await rollupSiteDay(deps, site, date);
      sites++;
    }
    if (page.length < SITES_PER_PAGE) return { sites, rows };
    after = page[page.length - 1]!.id;
  }
}
