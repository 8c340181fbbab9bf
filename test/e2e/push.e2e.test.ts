// Web Push end to end, server half: the real local edge (wrangler dev: routes, D1, the send
// queue, the planner and the sender) delivering to the local push sink, which checks VAPID
// and decrypts every message. Subscribers come in through the public subscribe API, each
// request from its own client IP (wrangler dev trusts CF-Connecting-IP), so the per-IP
// rate limit is exercised as in production without being hit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPushSink, type PushSink, type SinkMode, type SinkSubscription } from "../push-sink/main.ts";
import { apiClient, type Edge, startEdge, subscribeAll } from "./harness.ts";

/** Longest a send may take from POST …/send to `completed` (1,000 subscribers take ~10 s here;
 *  the 429/503 groups add a queue retry of 1–2 s). */
const SEND_DEADLINE_MS = 90_000;
/** Parallel subscribe requests: enough to keep workerd busy, few enough not to time out. */
const SUBSCRIBE_CONCURRENCY = 16;

interface Stats {
  targeted: number;
  sent: number;
  failed: number;
  failed_by_reason: Record<string, number>;
  pruned: number;
}
interface Notification {
  id: string;
  status: string;
  stats: Stats;
}
interface SinkReport {
  received: number;
  rejected: Record<string, number>;
  by_status: Record<string, number>;
  duplicates: number;
  duplicate_messages: number;
  per_subscription: Record<string, { mode: SinkMode; requests: number; received: number; statuses: Record<string, number>; duplicates: number }>;
}

let edge: Edge;
let sink: PushSink;
let accessToken = "";

const api = apiClient(() => edge, () => accessToken);

async function sinkSubscriptions(mode: SinkMode, count: number): Promise<SinkSubscription[]> {
  const res = await fetch(`${sink.origin}/subscriptions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode, count }) });
  expect(res.status).toBe(201);
  return (await res.json()) as SinkSubscription[];
}

async function sinkReport(): Promise<SinkReport> {
  return (await (await fetch(`${sink.origin}/report?detail=1`)).json()) as SinkReport;
}

/** A short summary of the sink's state for failure messages (no per-subscription detail). */
async function sinkSummary(): Promise<string> {
  const { per_subscription: _, ...rest } = await sinkReport();
  return JSON.stringify(rest);
}

/** Sends and polls until the notification leaves "sending" and the sink has `expected` 201s. */
async function sendAndWait(siteId: string, notificationId: string, expectedReceived: number): Promise<Notification> {
  const path = `/api/sites/${siteId}/notifications/${notificationId}`;
  const sentAt = Date.now();
  await api("POST", `${path}/send`);
  let last: Notification | undefined;
  while (Date.now() - sentAt < SEND_DEADLINE_MS) {
    last = await api<Notification>("GET", path);
    if (last.status !== "sending" && (sink.report(false) as { received: number }).received >= expectedReceived) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `notification ${notificationId} not done ${SEND_DEADLINE_MS} ms after send: status ${last?.status}, ` +
      `stats ${JSON.stringify(last?.stats)}; sink report ${await sinkSummary()}\nwrangler dev output (tail):\n${edge.log().slice(-4000)}`,
  );
}

async function createSite(name: string) {
  return api<{ id: string; site_key: string }>("POST", "/api/sites", { name, url: "https://shop.example.com" });
}

beforeAll(async () => {
  sink = await startPushSink({ port: 0 });
  edge = await startEdge({ extraPushOrigins: [sink.origin] });
  accessToken = (
    await api<{ access_token: string }>("POST", "/api/auth/register", { email: `push-e2e-${Date.now()}@example.com`, password: "correct horse battery staple", name: "E2E" })
  ).access_token;
});

afterAll(async () => {
  await edge?.stop();
  await sink?.close();
});

describe("routing under wrangler dev", () => {
  // wrangler.toml serves the dashboard's static assets first, except the paths listed in
  // run_worker_first: an API path left out of that list answers 405 or the SPA's index.html here,
  // which the Worker tests (calling the app directly) never see. Every documented path must reach
  // the Worker and answer its JSON.
  it("sends every documented path to the Worker, not to the static assets", async () => {
    const doc = (await (await fetch(`${edge.origin}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const wrong: string[] = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      const path = template.replace(/\{[^}]+\}/g, "x0");
      for (const method of Object.keys(ops).filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))) {
        if (path.endsWith("/ws")) continue; // a WebSocket upgrade: answered 426 in JSON, checked by the inbox tests
        const res = await fetch(`${edge.origin}${path}`, { method: method.toUpperCase(), headers: { "content-type": "application/json" }, body: method === "get" || method === "delete" ? undefined : "{}" });
        const type = res.headers.get("content-type") ?? "";
        const text = await res.text();
        const fromWorker = res.status !== 405 && !text.startsWith("<!doctype html") && !text.startsWith("<!DOCTYPE html");
        if (!fromWorker || (res.status >= 400 && !type.includes("json"))) wrong.push(`${method.toUpperCase()} ${template} → ${res.status} ${type}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("sending to the local push sink", () => {
  it("delivers one send to 1,000 API subscribers exactly once each", { timeout: 150_000 }, async () => {
    sink.reset();
    const site = await createSite("Thousand");
    const subs = await sinkSubscriptions("ok", 1000);
    await subscribeAll(api, site.site_key, subs, SUBSCRIBE_CONCURRENCY);

    const { id } = await api<{ id: string }>("POST", `/api/sites/${site.id}/notifications`, { title: "Hello, 1,000", body: "One each", target: { all: true } });
    const done = await sendAndWait(site.id, id, 1000);

    const report = await sinkReport();
    expect(done.status, await sinkSummary()).toBe("completed");
    expect(report.received).toBe(1000);
    expect(report.duplicates).toBe(0);
    expect(report.duplicate_messages).toBe(0);
    expect(report.rejected).toEqual({});
    for (const s of subs) {
      const seen = report.per_subscription[s.id]!;
      expect({ id: s.id, requests: seen.requests, received: seen.received }).toEqual({ id: s.id, requests: 1, received: 1 });
      const [message] = sink.messages(s.id) as { payload: { title?: string; token?: string } }[];
      expect(message!.payload.title).toBe("Hello, 1,000");
    }
    expect(done.stats).toMatchObject({ targeted: 1000, sent: 1000, failed: 0, pruned: 0 });
    expect(await api<Stats>("GET", `/api/sites/${site.id}/notifications/${id}/stats`)).toMatchObject({ targeted: 1000, sent: 1000, failed: 0, pruned: 0 });
  });

  it("prunes the 410s and retries the 429s and 503s without losing or repeating a message", { timeout: 150_000 }, async () => {
    sink.reset();
    const site = await createSite("Flaky");
    const groups: Record<"ok" | "gone410" | "rate_limit_then_ok" | "error503_then_ok", SinkSubscription[]> = {
      ok: await sinkSubscriptions("ok", 340),
      gone410: await sinkSubscriptions("gone410", 20), // 5%
      rate_limit_then_ok: await sinkSubscriptions("rate_limit_then_ok", 20),
      error503_then_ok: await sinkSubscriptions("error503_then_ok", 20),
    };
    // Interleaved, so the failing subscribers sit among the ok ones in whatever batches the
    // planner cuts, and a retried batch must skip everyone already delivered.
    const all = Object.values(groups).flat();
    const mixed = all.map((s, i) => ({ s, k: (i * 7919) % all.length })).sort((a, b) => a.k - b.k).map(({ s }) => s);
    await subscribeAll(api, site.site_key, mixed, SUBSCRIBE_CONCURRENCY);

    const { id } = await api<{ id: string }>("POST", `/api/sites/${site.id}/notifications`, { title: "Flaky world", target: { all: true } });
    const expectedSent = groups.ok.length + groups.rate_limit_then_ok.length + groups.error503_then_ok.length;
    const done = await sendAndWait(site.id, id, expectedSent);
    const report = await sinkReport();
    const context = await sinkSummary();

    expect(done.status, context).toBe("completed");
    expect(done.stats, context).toMatchObject({ targeted: 400, sent: expectedSent, pruned: 20, failed: 0 });
    expect(report.received).toBe(expectedSent);
    expect(report.by_status).toEqual({ 201: expectedSent, 410: 20, 429: 20, 503: 20 });
    expect(report.duplicate_messages).toBe(0);
    const perSub = (s: SinkSubscription) => {
      const seen = report.per_subscription[s.id]!;
      return { id: s.id, requests: seen.requests, received: seen.received };
    };
    for (const s of groups.ok) expect(perSub(s)).toEqual({ id: s.id, requests: 1, received: 1 });
    for (const s of [...groups.rate_limit_then_ok, ...groups.error503_then_ok]) expect(perSub(s)).toEqual({ id: s.id, requests: 2, received: 1 });
    for (const s of groups.gone410) expect(perSub(s)).toEqual({ id: s.id, requests: 1, received: 0 });

    // The 410 subscribers, and only they, are inactive now.
    const inactive = await api<{ data: { endpoint: string; active: boolean; unsubscribe_reason: string | null }[]; next_cursor: string | null }>(
      "GET",
      `/api/sites/${site.id}/subscribers?active=false&limit=200`,
    );
    expect(inactive.data.map((s) => s.endpoint).sort()).toEqual(groups.gone410.map((s) => s.endpoint).sort());
    expect(inactive.data.every((s) => !s.active && s.unsubscribe_reason === "gone")).toBe(true);
    let activeCount = 0;
    for (let cursor: string | null = ""; cursor !== null; ) {
      const page: { data: unknown[]; next_cursor: string | null } = await api("GET", `/api/sites/${site.id}/subscribers?active=true&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      activeCount += page.data.length;
      cursor = page.next_cursor;
    }
    expect(activeCount).toBe(expectedSent);
  });
});
