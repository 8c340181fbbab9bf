// Feeds the live counters (SiteCounters Durable Object) of a site and of the whole
// platform. Called after the D1 write, with only what that write added. A failure is
// logged, never thrown: the live view may lag, the D1 numbers stay exact.
import type { CounterDelta } from "../../../durable-objects/site-counters";

export const PLATFORM_COUNTERS = "*";

export const siteCounters = (env: Env, siteId: string) => env.SITE_COUNTERS.get(env.SITE_COUNTERS.idFromName(siteId));

export async function recordLive(env: Env, siteId: string, delta: CounterDelta): Promise<void> {
  try {
    await Promise.all([siteCounters(env, siteId).record(delta), siteCounters(env, PLATFORM_COUNTERS).record(delta, true)]);
  } catch (err) {
    console.error("live counters: record failed", siteId, delta.notificationId, err);
  }
}
