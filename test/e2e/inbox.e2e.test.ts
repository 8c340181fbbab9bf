// The in-app inbox end to end against the real local edge (issue #9): a broadcast the edge is
// killed in the middle of. The process group is SIGKILLed once part of the audience has the item,
// the edge restarts on the same state, cron resumes the stalled send, and then every user's inbox
// holds the broadcast exactly once — nothing lost, nothing shown twice, counts exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRON_EVERY_MINUTE } from "../../workers/cron/index.ts";
import { SEND_LEASE_MS, SEND_STALL_AFTER_MS } from "../../workers/config.ts";
import { apiClient, startEdge, type TestEdge } from "./harness.ts";

const USERS = 1_200;
const CONCURRENCY = 16;
/** Kill once this many inboxes have the item: into the second batch (400 each), far from the end. */
const KILL_AFTER_SENT = 500;
const DEADLINE_MS = 150_000;

let edge: TestEdge;
let token = "";
const api = apiClient(() => edge, () => token);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pool<T>(items: T[], fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < items.length) await fn(items[next++]!); }));
}

beforeAll(async () => {
  edge = await startEdge();
  token = (await api<{ access_token: string }>("POST", "/api/auth/register", { email: `inbox-${Date.now()}@example.com`, password: "correct horse battery staple", name: "E2E" }))
    .access_token;
});

afterAll(async () => {
  await edge?.stop();
});

interface MessageStatus {
  status: string;
  channels: Record<string, { sent: number; failed: number; targeted: number }>;
}

describe("a broadcast the edge dies in the middle of", () => {
  it(`puts the item in all ${USERS} inboxes exactly once after a kill and restart`, { timeout: 420_000 }, async () => {
    const site = await api<{ id: string }>("POST", "/api/sites", { name: "Inbox crash", url: "https://shop.example.com" });
    const users = Array.from({ length: USERS }, (_, i) => `reader-${String(i).padStart(5, "0")}`);
    await pool(users, async (external_id) => void (await api("POST", `/api/sites/${site.id}/users`, { external_id })));

    const b = await api<{ id: string }>("POST", `/api/sites/${site.id}/broadcasts`, { content: { title: "Survives a crash", body: "Once, in every inbox." } });
    const path = `/api/sites/${site.id}/messages/${b.id}`;
    const sendStart = Date.now();
    let sent = 0;
    while (sent < KILL_AFTER_SENT && Date.now() - sendStart < 60_000) {
      sent = (await api<MessageStatus>("GET", path)).channels.in_app?.sent ?? 0;
      await sleep(20);
    }
    await edge.crash();
    expect(sent, "the kill came too late to test anything").toBeLessThan(USERS);
    await sleep(500);

    edge = await edge.restart();
    const stalledAt = () => Date.now() + SEND_LEASE_MS + SEND_STALL_AFTER_MS + 60_000;
    let status = "sending";
    let fired = 0;
    const restartedAt = Date.now();
    while (status === "sending" && Date.now() - restartedAt < DEADLINE_MS) {
      if (Date.now() - restartedAt > 5_000 * (fired + 1) && fired < 3) {
        await edge.fireCronAt(CRON_EVERY_MINUTE, stalledAt() + fired * (SEND_STALL_AFTER_MS + 60_000));
        fired++;
      }
      status = (await api<MessageStatus>("GET", path)).status;
      await sleep(500);
    }
    expect(status, `still ${status}; wrangler:\n${edge.log().slice(-3000)}`).toBe("completed");

    const totals = new Map<number, number>();
    const wrong: string[] = [];
    await pool(users, async (u) => {
      const page = await api<{ items: Array<{ id: string }>; counts: { total: number; unread: number } }>("GET", `/api/sites/${site.id}/users/${u}/inbox?limit=10`);
      totals.set(page.items.length, (totals.get(page.items.length) ?? 0) + 1);
      if (page.items.length !== 1 || page.items[0]!.id !== b.id || page.counts.total !== 1 || page.counts.unread !== 1) wrong.push(`${u}: ${JSON.stringify(page.counts)}`);
    });
    const final = await api<MessageStatus>("GET", path);
    console.log(`inbox crash e2e: ${USERS} users, killed after ${sent} sent; items per inbox ${JSON.stringify(Object.fromEntries(totals))}; status ${JSON.stringify(final.channels.in_app)}; cron fired ${fired}×`);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(final.channels.in_app).toMatchObject({ targeted: USERS, sent: USERS, failed: 0 });
  });
});
