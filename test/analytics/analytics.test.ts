import { exports } from "cloudflare:workers";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAnalyticsRollup } from "../../workers/cron/analytics-rollup";
import { localDate, localDayRange } from "../../workers/lib/timezone";
import { siteCounters } from "../../workers/services/analytics/live";
import { makeDeps } from "../../workers/services/deps";
import { deliverBatch } from "../../workers/services/sending/deliver";
import { installFakePush } from "../fixtures/fake-push";
import { sendingNotification } from "../fixtures/sending";
import { call, tenant } from "../helpers";

let push: ReturnType<typeof installFakePush>;
beforeEach(() => {
  push = installFakePush();
});
afterEach(() => push.restore());

async function subscribe(siteKey: string, script = [201]) {
  const sub = await push.subscription(script);
  return (await call("POST", "/api/subscribe", { body: { site_key: siteKey, subscription: { endpoint: sub.endpoint, keys: sub.keys } } })).body.subscriber_id as string;
}

/** A completed send to `n` subscribers with one click and two impressions, driven by hand. */
async function sentNotification(label: string, n = 3) {
  const t = await tenant(label);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await subscribe(t.site.site_key));
  const { id, messages } = await sendingNotification(t.owner.token, t.site.id, [ids]);
  await deliverBatch(makeDeps(env), messages[0]!, 1);
  const tokens = push.received.map((r) => r.payload.token as string);
  await call("POST", "/api/events", { body: { token: tokens[0], type: "click", action: "buy" } });
  await call("POST", "/api/events", { body: { token: tokens[0], type: "impression" } });
  await call("POST", "/api/events", { body: { token: tokens[1], type: "impression" } });
  return { ...t, notificationId: id, messages, tokens };
}

describe("live counters", () => {
  it("count each delivery and event once, even when a batch or an event is delivered again", async () => {
    const { site, notificationId, messages, tokens } = await sentNotification("live");
    await deliverBatch(makeDeps(env), messages[0]!, 1); // redelivered: nothing new
    await call("POST", "/api/events", { body: { token: tokens[0], type: "click" } }); // duplicate click
    const counters = await siteCounters(env, site.id).snapshot(notificationId);
    expect(counters).toMatchObject({ sent: 3, failed: 0, clicks: 1, impressions: 2, dismissals: 0 });
  });

  it("push every change to a WebSocket of the site's dashboard and refuse other tenants", async () => {
    const { owner, site, notificationId, tokens } = await sentNotification("ws");
    const res = await exports.default.fetch(
      new Request(`http://herald.test/api/sites/${site.id}/live?access_token=${owner.token}`, { headers: { Upgrade: "websocket" } }),
    );
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const messages: any[] = [];
    ws.addEventListener("message", (e) => messages.push(JSON.parse(e.data as string)));
    ws.accept();
    ws.send(JSON.stringify({ type: "watch", notification_id: notificationId }));
    await call("POST", "/api/events", { body: { token: tokens[2], type: "dismiss" } });
    for (let i = 0; i < 50 && !messages.some((m) => m.notification_id === notificationId && m.counters.dismissals === 1); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(messages.find((m) => m.notification_id === notificationId && m.counters.dismissals === 1)?.counters).toMatchObject({ sent: 3, dismissals: 1 });
    ws.close();

    const other = await tenant("ws-other");
    const denied = await exports.default.fetch(
      new Request(`http://herald.test/api/sites/${site.id}/live?access_token=${other.owner.token}`, { headers: { Upgrade: "websocket" } }),
    );
    expect(denied.status).toBe(404);
    const plain = await call("GET", `/api/sites/${site.id}/live`, { token: owner.token });
    expect(plain.status).toBe(426);
  });
});

describe("roll-up and reports", () => {
  it("rolls up per local day, is safe to run twice, and feeds the overview with value per click", async () => {
    const { owner, site } = await sentNotification("rollup");
    await call("PATCH", `/api/sites/${site.id}`, { token: owner.token, body: { settings: { value_per_click: 2.5, timezone: "Asia/Tokyo" } } });
    const deps = makeDeps(env);
    await runAnalyticsRollup(deps);
    const rows1 = await env.DB.prepare("select * from analytics_daily where site_id = ? order by notification_id").bind(site.id).all();
    await runAnalyticsRollup(deps);
    const rows2 = await env.DB.prepare("select * from analytics_daily where site_id = ? order by notification_id").bind(site.id).all();
    expect(rows2.results.map(({ updated_at, ...r }) => r)).toEqual(rows1.results.map(({ updated_at, ...r }) => r));

    const today = localDate("Asia/Tokyo", Date.now());
    const ov = await call("GET", `/api/sites/${site.id}/analytics/overview`, { token: owner.token });
    expect(ov.status).toBe(200);
    expect(ov.body.timezone).toBe("Asia/Tokyo");
    expect(ov.body.series).toHaveLength(30);
    expect(ov.body.series.at(-1).date).toBe(today);
    expect(ov.body.totals).toMatchObject({ subscribers_total: 3, subscribers_active: 3, subscribers_new: 3, sends: 3, impressions: 2, clicks: 1, value: 2.5 });
    expect(ov.body.totals.ctr).toBeCloseTo(1 / 3, 3);

    const bad = await call("GET", `/api/sites/${site.id}/analytics/overview?from=2026-02-30x`, { token: owner.token });
    expect(bad.status).toBe(400);
  });

  it("reports a notification's funnel and per-minute series", async () => {
    const { owner, site, notificationId } = await sentNotification("perf");
    const r = await call("GET", `/api/sites/${site.id}/notifications/${notificationId}/performance`, { token: owner.token });
    expect(r.status).toBe(200);
    expect(r.body.funnel).toEqual({ targeted: 3, sent: 3, impressions: 2, clicks: 1 });
    expect(r.body.series.reduce((a: number, m: { sent: number }) => a + m.sent, 0)).toBe(3);
  });

  it("finds local days in the site's timezone, including 23-hour DST days", () => {
    const [start, end] = localDayRange("Europe/Paris", "2026-03-29");
    expect(new Date(start).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect((end - start) / 3600_000).toBe(23);
    expect(localDate("Asia/Tokyo", Date.parse("2026-11-23T16:30:00Z"))).toBe("2026-11-24");
  });
});

describe("GET /metrics", () => {
  it("needs the metrics token and exposes counters and gauges in Prometheus format", async () => {
    await sentNotification("metrics", 1);
    expect((await call("GET", "/metrics")).status).toBe(401);
    const r = await call("GET", "/metrics", { token: env.METRICS_TOKEN });
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toContain("text/plain; version=0.0.4");
    const text = String(r.body);
    expect(text).toMatch(/^# TYPE herald_push_messages_total counter$/m);
    expect(Number(/^herald_push_messages_total\{outcome="sent"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^herald_events_total\{type="click"\} \d+$/m);
    expect(text).toMatch(/^herald_subscribers_active \d+$/m);
    expect(text).toMatch(/^herald_send_queue_backlog_batches \d+$/m);
  });
});
