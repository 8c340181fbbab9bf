import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PUSH_CONCURRENCY, SEND_LEASE_MS, SEND_RECORD_CHUNK, SEND_STALL_AFTER_MS } from "../../workers/config";
import { runScheduledSends } from "../../workers/cron/scheduled-sends";
import { createDb } from "../../workers/db/client";
import { claimBatch, renewLease } from "../../workers/db/queries/notifications";
import { consumeSendDlq } from "../../workers/queues/dlq-consumer";
import { consumeSendQueue } from "../../workers/queues/send-consumer";
import type { SendMessage } from "../../workers/queues/messages";
import { makeDeps } from "../../workers/services/deps";
import { deliverBatch } from "../../workers/services/sending/deliver";
import { installFakePush } from "../fixtures/fake-push";
import { sendingNotification } from "../fixtures/sending";
import { call, freshIp, tenant } from "../helpers";

let push: ReturnType<typeof installFakePush>;
beforeEach(() => {
  push = installFakePush();
});
afterEach(() => push.restore());

async function subscribe(siteKey: string, script: number[]) {
  const sub = await push.subscription(script);
  const r = await call("POST", "/api/subscribe", {
    body: { site_key: siteKey, subscription: { endpoint: sub.endpoint, keys: sub.keys } },
    headers: { "CF-Connecting-IP": freshIp() },
  });
  if (r.status !== 201) throw new Error(`subscribe failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.subscriber_id as string;
}

let run = 0;
async function runConsumer(queue: string, consumer: typeof consumeSendQueue, bodies: unknown[], attempts = 1) {
  const prefix = `r${++run}m`;
  const batch = createMessageBatch<SendMessage>(
    queue,
    bodies.map((body, i) => ({ id: `${prefix}${i}`, timestamp: new Date(), attempts, body: body as SendMessage })),
  );
  const ctx = createExecutionContext();
  await consumer(batch, env);
  return getQueueResult(batch, ctx);
}

const status = async (id: string) => env.DB.prepare("select status from notifications where id = ?").bind(id).first<string>("status");

describe("send queue consumer", () => {
  it("acks the batch that succeeded and retries only the one with a failed push", async () => {
    const { owner, site } = await tenant("partial");
    const ok = await subscribe(site.site_key, [201]);
    const flaky = await subscribe(site.site_key, [503, 201]);
    const { id, messages } = await sendingNotification(owner.token, site.id, [[ok], [flaky]]);
    const result = await runConsumer("herald-send", consumeSendQueue, messages);
    expect(result.explicitAcks).toEqual(["r1m0"]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["r1m1"]);
    expect(await status(id)).toBe("sending");

    // The redelivery sends only to the subscriber that failed, and completes the notification.
    const again = await runConsumer("herald-send", consumeSendQueue, messages, 2);
    expect(again.explicitAcks).toEqual(["r2m0", "r2m1"]);
    expect(push.received.map((r) => r.endpoint)).toHaveLength(2);
    expect(await status(id)).toBe("completed");
  });

  it("never sends twice when a batch is delivered again", async () => {
    const { owner, site } = await tenant("redeliver");
    const ids = [await subscribe(site.site_key, [201]), await subscribe(site.site_key, [201])];
    const later = await subscribe(site.site_key, [201]);
    // Two batches, so the notification is still sending after the first.
    const { messages } = await sendingNotification(owner.token, site.id, [ids, [later]]);
    const deps = makeDeps(env);
    const first = await deliverBatch(deps, messages[0]!, 1);
    const second = await deliverBatch(deps, messages[0]!, 1);
    expect(first).toMatchObject({ status: "done", sent: 2 });
    expect(second).toEqual({ status: "skipped", reason: "done" });
    expect(push.received).toHaveLength(2);
  });

  it("asks for a retry after the push service's Retry-After on 429", async () => {
    const { owner, site } = await tenant("retryafter");
    const id = await subscribe(site.site_key, [429, 201]);
    const { messages } = await sendingNotification(owner.token, site.id, [[id]]);
    expect(await deliverBatch(makeDeps(env), messages[0]!, 1)).toEqual({ status: "retry", delayS: 1, remaining: 1 });
  });

  it("records still-failing subscribers as failed after the last attempt", async () => {
    const { owner, site } = await tenant("exhaust");
    const id = await subscribe(site.site_key, [503]);
    const { id: notificationId, messages } = await sendingNotification(owner.token, site.id, [[id]]);
    const result = await runConsumer("herald-send", consumeSendQueue, messages, 8);
    expect(result.explicitAcks).toHaveLength(1);
    const stats = await call("GET", `/api/sites/${site.id}/notifications/${notificationId}/stats`, { token: owner.token });
    expect(stats.body).toMatchObject({ sent: 0, failed: 1, failed_by_reason: { server_error: 1 } });
    expect(await status(notificationId)).toBe("completed");
  });

  it("skips the rest of a notification cancelled while sending", async () => {
    const { owner, site } = await tenant("cancel");
    const id = await subscribe(site.site_key, [201]);
    const { id: notificationId, messages } = await sendingNotification(owner.token, site.id, [[id]]);
    expect((await call("POST", `/api/sites/${site.id}/notifications/${notificationId}/cancel`, { token: owner.token })).body.status).toBe("cancelled");
    const result = await runConsumer("herald-send", consumeSendQueue, messages);
    expect(result.explicitAcks).toHaveLength(1);
    expect(push.received).toHaveLength(0);
  });

  it("delivers a version-1 message (web push, no channel or lease) left in the queue by the previous release", async () => {
    const { owner, site } = await tenant("v1");
    const id = await subscribe(site.site_key, [201]);
    const { id: notificationId, messages } = await sendingNotification(owner.token, site.id, [[id]]);
    const { channel: _channel, lease: _lease, ...rest } = messages[0]!;
    const result = await runConsumer("herald-send", consumeSendQueue, [{ ...rest, v: 1 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(push.received).toHaveLength(1);
    expect(await status(notificationId)).toBe("completed");
  });

  it("acks and records a message for a channel this release does not know", async () => {
    const result = await runConsumer("herald-send", consumeSendQueue, [{ v: 2, type: "deliver", channel: "carrier_pigeon", siteId: "s", notificationId: "n", batch: 0, fromId: "a", toId: "b", lease: "l" }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await env.DB.prepare("select count(*) n from dead_letters where id = ?").bind(`dlq_${result.explicitAcks[0]}`).first("n")).toBe(1);
  });

  it("acks and records a message of an unknown version instead of retrying it forever", async () => {
    const result = await runConsumer("herald-send", consumeSendQueue, [{ v: 99, type: "deliver" }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await env.DB.prepare("select count(*) n from dead_letters where id = ?").bind(`dlq_${result.explicitAcks[0]}`).first("n")).toBe(1);
  });
});

describe("dead-letter queue consumer", () => {
  it("records the dead batch, fails its pending subscribers and lets the notification complete", async () => {
    const { owner, site } = await tenant("dlq");
    const id = await subscribe(site.site_key, [201]);
    const { id: notificationId, messages } = await sendingNotification(owner.token, site.id, [[id]]);
    const result = await runConsumer("herald-send-dlq", consumeSendDlq, messages, 11);
    expect(result.explicitAcks).toHaveLength(1);
    const stats = await call("GET", `/api/sites/${site.id}/notifications/${notificationId}/stats`, { token: owner.token });
    expect(stats.body.failed_by_reason).toEqual({ retries_exhausted: 1 });
    expect(await status(notificationId)).toBe("completed");
    expect(await env.DB.prepare("select notification_id from dead_letters where id = ?").bind(`dlq_${result.explicitAcks[0]}`).first("notification_id")).toBe(notificationId);
  });
});

describe("crash-safe sending", () => {
  /** A D1 binding whose batch() dies from the `dieAt`-th call on, like an edge killed mid-write. */
  function dyingDb(dieAt: number) {
    let calls = 0;
    const d1 = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "batch") {
          return (statements: D1PreparedStatement[]) => {
            if (++calls >= dieAt) return Promise.reject(new Error("edge killed"));
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    return createDb(d1);
  }

  const deliveryRows = async (notificationId: string) =>
    (await env.DB.prepare("select count(*) n from deliveries where notification_id = ?").bind(notificationId).first<number>("n")) ?? 0;

  it("records deliveries in chunks, so a crash re-sends at most one chunk plus the pushes in flight", async () => {
    const { owner, site } = await tenant("crash");
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push(await subscribe(site.site_key, [201]));
    const { id, messages } = await sendingNotification(owner.token, site.id, [ids]);
    const msg = messages[0]!;

    // The first chunk is written; the second chunk's write dies with the edge.
    const crashing = { ...makeDeps(env), db: dyingDb(2) };
    await expect(deliverBatch(crashing, msg, 1)).rejects.toThrow("edge killed");
    await new Promise((r) => setTimeout(r, 200)); // pushes already in flight land
    const recorded = await deliveryRows(id); // one chunk (smaller if the time limit flushed it early)
    expect(recorded).toBeGreaterThan(0);
    expect(recorded).toBeLessThanOrEqual(SEND_RECORD_CHUNK);
    const beforeRestart = push.received.length;
    expect(beforeRestart - recorded).toBeLessThanOrEqual(SEND_RECORD_CHUNK + PUSH_CONCURRENCY);

    // The queue redelivers the same message (same lease key): it resumes at once.
    expect(await deliverBatch(makeDeps(env), msg, 2)).toMatchObject({ status: "done" });
    const perEndpoint = new Map<string, number>();
    for (const r of push.received) perEndpoint.set(r.endpoint, (perEndpoint.get(r.endpoint) ?? 0) + 1);
    expect(perEndpoint.size).toBe(120); // nobody lost
    const twice = [...perEndpoint.values()].filter((n) => n > 1).length;
    expect(twice).toBe(beforeRestart - recorded); // only the unrecorded chunk repeats
    expect(twice).toBeLessThanOrEqual(SEND_RECORD_CHUNK + PUSH_CONCURRENCY);
    expect(await deliveryRows(id)).toBe(120);
    expect(await status(id)).toBe("completed");
    // Every copy carries the notification's Topic, and its payload the id the service worker tags with.
    expect(new Set(push.received.map((r) => r.headers.get("topic")))).toEqual(new Set([id]));
    expect(push.received.every((r) => r.payload.id === id)).toBe(true);
  });

  it("leaves a batch held by another message alone, however often it is enqueued", async () => {
    const { owner, site } = await tenant("lease");
    const ids = [await subscribe(site.site_key, [201]), await subscribe(site.site_key, [201])];
    const { id, messages } = await sendingNotification(owner.token, site.id, [ids, [await subscribe(site.site_key, [201])]]);
    const holder = messages[0]!;
    const deps = makeDeps(env);
    expect(await claimBatch(deps.db, id, holder.batch, holder.lease, Date.now(), SEND_LEASE_MS)).toBe(true);
    const duplicate = { ...holder, lease: "another-enqueue" };
    expect(await deliverBatch(deps, duplicate, 1)).toEqual({ status: "skipped", reason: "leased" });
    expect(push.received).toHaveLength(0);
    // The holder's own retry resumes at once.
    expect(await deliverBatch(deps, holder, 2)).toMatchObject({ status: "done", sent: 2 });
  });

  it("holds a batch through its Retry-After delay, so a recovery does not send early", async () => {
    const { owner, site } = await tenant("holdretry");
    const sub = await subscribe(site.site_key, [429, 201]);
    const { id, messages } = await sendingNotification(owner.token, site.id, [[sub]]);
    const msg = messages[0]!;
    expect(await deliverBatch(makeDeps(env), msg, 1)).toMatchObject({ status: "retry" });
    // Long after the stall threshold but within the held retry window, cron finds nothing to resume.
    const soon = makeDeps(env, () => Date.now() + SEND_STALL_AFTER_MS + 1000);
    await env.DB.prepare("update notification_batches set lease_until = ? where notification_id = ?").bind(Date.now() + 3600_000, id).run();
    const run = await runScheduledSends(soon);
    expect(run.resumed.map((r) => r.notificationId)).not.toContain(id);
  });

  it("resumes a send whose messages died with the edge: cron re-enqueues only the unfinished batches, once", async () => {
    const { owner, site } = await tenant("stall");
    const a = await subscribe(site.site_key, [201]);
    const b = await subscribe(site.site_key, [201]);
    const { id, messages } = await sendingNotification(owner.token, site.id, [[a], [b]]);
    const deps = makeDeps(env);
    expect(await deliverBatch(deps, messages[0]!, 1)).toMatchObject({ status: "done", sent: 1 });
    // Batch 1's message was taken and lost mid-send: its lease lapses, nothing records progress.
    expect(await claimBatch(deps.db, id, 1, messages[1]!.lease, Date.now(), SEND_LEASE_MS)).toBe(true);

    const mine = (r: Awaited<ReturnType<typeof runScheduledSends>>) => r.resumed.filter((x) => x.notificationId === id);
    const early = await runScheduledSends(makeDeps(env, () => Date.now() + 60_000));
    expect(mine(early)).toEqual([]); // not stalled yet, and the lease still runs
    const later = makeDeps(env, () => Date.now() + SEND_LEASE_MS + SEND_STALL_AFTER_MS);
    const [r1, r2] = await Promise.all([runScheduledSends(later), runScheduledSends(later)]);
    expect([...mine(r1), ...mine(r2)]).toEqual([{ notificationId: id, batches: 1 }]);

    // The re-enqueued message carries the lease the recovery handed the batch to: it completes
    // the send at once (even before the old lease would have lapsed by its own clock), and the
    // old holder, should it wake up, has lost the batch.
    const heir = await env.DB.prepare("select leased_by from notification_batches where notification_id = ? and batch = 1").bind(id).first<string>("leased_by");
    expect(heir).not.toBe(messages[1]!.lease);
    expect(await renewLease(deps.db, id, 1, messages[1]!.lease, Date.now() + 1000)).toBe(false);
    const resumed = { ...messages[1]!, lease: heir! };
    expect(await deliverBatch(deps, resumed, 1)).toMatchObject({ status: "done", sent: 1 });
    expect(await status(id)).toBe("completed");
    expect(push.received).toHaveLength(2);
  });
});
