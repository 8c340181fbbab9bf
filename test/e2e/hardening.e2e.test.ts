// Hardening, end to end against the real local edge (issue #7):
//  - the dashboard's static assets carry the same security headers as the API;
//  - a send survives the edge being killed in the middle of it: the process group is SIGKILLed
//    mid-send, the edge restarts on the same state, cron resumes the stalled send, and every
//    subscriber gets the notification at least once, at most one chunk twice, with stats equal
//    to what the push sink saw.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRON_EVERY_MINUTE } from "../../workers/cron/index.ts";
import { PUSH_CONCURRENCY, SEND_LEASE_MS, SEND_RECORD_CHUNK, SEND_STALL_AFTER_MS } from "../../workers/config.ts";
import { startPushSink, type PushSink, type SinkSubscription } from "../push-sink/main.ts";
import { apiClient, startEdge, subscribeAll, type TestEdge } from "./harness.ts";

const SUBSCRIBERS = 2_000;
const SUBSCRIBE_CONCURRENCY = 16;
/** Kill once this many pushes reached the sink: into the second batch, mid-chunk, far from the end. */
const KILL_AFTER_RECEIVED = 630; // mid-batch (400 each) and mid-chunk (50 each)
const DEADLINE_MS = 150_000;

let edge: TestEdge;
let sink: PushSink;
let token = "";

const api = apiClient(() => edge, () => token);

interface SinkDetail {
  received: number;
  per_subscription: Record<string, { received: number }>;
}
const sinkReport = async () => (await (await fetch(`${sink.origin}/report?detail=1`)).json()) as SinkDetail;
const sinkReceived = () => (sink.report(false) as { received: number }).received;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sink = await startPushSink({ port: 0 });
  edge = await startEdge({ extraPushOrigins: [sink.origin] });
  token = (await api<{ access_token: string }>("POST", "/api/auth/register", { email: `crash-${Date.now()}@example.com`, password: "correct horse battery staple", name: "E2E" }))
    .access_token;
});

afterAll(async () => {
  await edge?.stop();
  await sink?.close();
});

describe("security headers", () => {
  it("serves the dashboard, its client-side routes and its assets with the API's headers", async () => {
    const html = await fetch(`${edge.origin}/`);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1];
    expect(script).toBeTruthy();
    for (const path of ["/", "/sites/x/overview", script!, "/healthz"]) {
      const res = await fetch(edge.origin + path);
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("strict-transport-security"), path).toMatch(/max-age=\d+/);
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      await res.body?.cancel();
    }
  });
});

describe("a send the edge dies in the middle of", () => {
  it(`reaches all ${SUBSCRIBERS} subscribers after a kill and restart, repeating at most one chunk`, { timeout: 360_000 }, async () => {
    const site = await api<{ id: string; site_key: string }>("POST", "/api/sites", { name: "Crash", url: "https://shop.example.com" });
    const res = await fetch(`${sink.origin}/subscriptions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ count: SUBSCRIBERS }) });
    const subs = (await res.json()) as SinkSubscription[];
    await subscribeAll(api, site.site_key, subs, SUBSCRIBE_CONCURRENCY);
    const n = await api<{ id: string }>("POST", `/api/sites/${site.id}/notifications`, { title: "Survives a crash", target: { all: true } });
    const path = `/api/sites/${site.id}/notifications/${n.id}`;
    await api("POST", `${path}/send`);

    // Kill the whole edge mid-send.
    const sendStart = Date.now();
    while (sinkReceived() < KILL_AFTER_RECEIVED && Date.now() - sendStart < 60_000) await sleep(20);
    await edge.crash();
    const atKill = sinkReceived();
    expect(atKill, "the kill came too late to test anything").toBeLessThan(SUBSCRIBERS);
    await sleep(500);

    edge = await edge.restart();
    // What survived in the queue resumes by itself; what died with the edge, cron resumes once the
    // send looks stalled. Fire the minute cron as if that much time had passed.
    const stalledAt = () => Date.now() + SEND_LEASE_MS + SEND_STALL_AFTER_MS + 60_000;
    let status = "sending";
    let fired = 0;
    const restartedAt = Date.now();
    while (status === "sending" && Date.now() - restartedAt < DEADLINE_MS) {
      if (Date.now() - restartedAt > 5_000 * (fired + 1) && fired < 3) {
        await edge.fireCronAt(CRON_EVERY_MINUTE, stalledAt() + fired * (SEND_STALL_AFTER_MS + 60_000));
        fired++;
      }
      status = (await api<{ status: string }>("GET", path)).status;
      await sleep(500);
    }
    expect(status, `still ${status}; wrangler:\n${edge.log().slice(-3000)}`).toBe("completed");

    const report = await sinkReport();
    const perSub = subs.map((s) => report.per_subscription[s.id]?.received ?? 0);
    const lost = perSub.filter((r) => r === 0).length;
    const twice = perSub.filter((r) => r > 1).length;
    const stats = (await api<{ stats: { sent: number; failed: number; pruned: number; targeted: number } }>("GET", path)).stats;
    console.log(
      `crash e2e: ${SUBSCRIBERS} subscribers, killed after ${atKill} received; after restart: lost ${lost}, received twice ${twice}, ` +
        `sink total ${report.received}, stats ${JSON.stringify(stats)}, cron fired ${fired}×`,
    );
    expect(lost).toBe(0);
    expect(twice).toBeLessThanOrEqual(SEND_RECORD_CHUNK + PUSH_CONCURRENCY);
    expect(stats).toMatchObject({ targeted: SUBSCRIBERS, sent: perSub.filter((r) => r > 0).length, failed: 0, pruned: 0 });
  });
});
