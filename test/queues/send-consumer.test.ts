import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { consumeSendDlq } from "../../workers/queues/dlq-consumer";
import { consumeSendQueue } from "../../workers/queues/send-consumer";
import type { SendMessage } from "../../workers/queues/messages";
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

async function subscribe(siteKey: string, script: number[]) {
  const sub = await push.subscription(script);
  const r = await call("POST", "/api/subscribe", { body: { site_key: siteKey, subscription: { endpoint: sub.endpoint, keys: sub.keys } } });
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
    const first = await deliverBatch(deps, messages[0]!, 1, messages[0]!.lease);
    const second = await deliverBatch(deps, messages[0]!, 1, messages[0]!.lease);
    expect(first).toMatchObject({ status: "done", sent: 2 });
    expect(second).toEqual({ status: "skipped", reason: "done" });
    expect(push.received).toHaveLength(2);
  });

  it("asks for a retry after the push service's Retry-After on 429", async () => {
    const { owner, site } = await tenant("retryafter");
    const id = await subscribe(site.site_key, [429, 201]);
    const { messages } = await sendingNotification(owner.token, site.id, [[id]]);
    expect(await deliverBatch(makeDeps(env), messages[0]!, 1, messages[0]!.lease)).toEqual({ status: "retry", delayS: 1, remaining: 1 });
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
