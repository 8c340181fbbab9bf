// Held-back deliveries (issue #9 §3) are not sends: the live counters and the daily roll-up count
// neither a skipped nor a deferred recipient as sent or failed.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { runAnalyticsRollup } from "../../workers/cron/analytics-rollup";
import { siteCounters } from "../../workers/services/analytics/live";
import { makeDeps } from "../../workers/services/deps";
import { deliverBatch } from "../../workers/services/sending/deliver";
import { installFakePush } from "../fixtures/fake-push";
import { sendingNotification } from "../fixtures/sending";
import { call, tenant } from "../helpers";
import { subscribeAs } from "../messages/helpers";

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

describe("counters", () => {
  it("leave skipped and deferred deliveries out of the live counters and the daily roll-up", async () => {
    push = installFakePush();
    const { owner, site } = await tenant("pref-counters");
    const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${site.id}${path}`, { token: owner.token, body });
    const ids = [await subscribeAs(push, site, "ada"), await subscribeAs(push, site, "bob"), await subscribeAs(push, site, null)];
    await api("PUT", "/users/ada/preferences", { channels: { web_push: false } });
    // Bob's window is the whole day but one minute, whatever the time: he is deferred.
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
    await api("PUT", "/users/bob/preferences", { quiet_hours: { start: hhmm(new Date(now.getTime() - 60_000)), end: hhmm(new Date(now.getTime() - 120_000)), timezone: "UTC" } });

    const { id, messages } = await sendingNotification(owner.token, site.id, [ids]);
    expect(await deliverBatch(makeDeps(env), messages[0]!, 1)).toMatchObject({ status: "done", sent: 1, failed: 0 });
    expect(push.received).toHaveLength(1);
    expect(await siteCounters(env, site.id).snapshot(id)).toMatchObject({ sent: 1, failed: 0, pruned: 0 });
    const status = await api("GET", `/notifications/${id}`);
    expect(status.body.channels.web_push).toMatchObject({ sent: 1, skipped: 1, deferred: 1, failed: 0 });

    await runAnalyticsRollup(makeDeps(env));
    const daily = await env.DB.prepare("select sum(sent) sent, sum(failed) failed from analytics_daily where site_id = ? and notification_id = ?").bind(site.id, id).first();
    expect(daily).toEqual({ sent: 1, failed: 0 });
  });
});
