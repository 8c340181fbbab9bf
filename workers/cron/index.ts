// Cron dispatch: one job per expression declared in wrangler.toml [triggers].
import { makeDeps } from "../services/deps";
import { runAnalyticsRollup } from "./analytics-rollup";
import { runDigestFlush } from "./digest-flush";
import { runHousekeeping } from "./housekeeping";
import { decideDueTests } from "../services/ab-tests";
import { runDrips } from "./drips";
import { runFeedPoll } from "./feed-poll";
import { runRecurring } from "./recurring";
import { runReleaseDeferred } from "./release-deferred";
import { runScheduledSends } from "./scheduled-sends";

export const CRON_EVERY_MINUTE = "* * * * *";
export const CRON_EVERY_10_MINUTES = "*/10 * * * *";
export const CRON_EVERY_15_MINUTES = "*/15 * * * *";

export async function runCron(controller: ScheduledController, env: Env): Promise<void> {
  const deps = makeDeps(env, () => controller.scheduledTime);
  switch (controller.cron) {
    case CRON_EVERY_MINUTE:
      console.log("cron: recurring", await runRecurring(deps));
      console.log("cron: A/B winners", await decideDueTests(deps));
      console.log("cron: scheduled sends", await runScheduledSends(deps));
      console.log("cron: drips", await runDrips(deps));
      console.log("cron: release deferred", await runReleaseDeferred(deps));
      console.log("cron: digest flush", await runDigestFlush(deps));
      return;
    case CRON_EVERY_10_MINUTES:
      console.log("cron: analytics roll-up", await runAnalyticsRollup(deps));
      console.log("cron: housekeeping", await runHousekeeping(deps));
      return;
    case CRON_EVERY_15_MINUTES:
      console.log("cron: feed poll", await runFeedPoll(deps));
      return;
    default:
      console.error(`cron: no job for "${controller.cron}"`);
  }
}
