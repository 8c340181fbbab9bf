// Stand-ins for the outside of outbound webhooks, inside the test isolate: a receiver that
// verifies every delivery with the standardwebhooks library (as a site's server would), a queue
// that records what was enqueued instead of delivering it, and deps wiring them with a clock
// the test moves. drain() plays the queue: it runs every recorded message that is due through
// the real consumer (handleWebhookBatch), moving the clock to each message's delay.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { handleWebhookBatch } from "../../workers/queues/webhook-consumer";
import type { WebhookMessage } from "../../workers/queues/webhook-messages";
import { makeDeps, type Deps } from "../../workers/services/deps";
import { call, tenant } from "../helpers";

/** An origin the test Worker may reach over http (OUTBOUND_ALLOW_ORIGINS in vitest.config.ts). */
export const RECEIVER_ORIGIN = "http://127.0.0.1:8799";

export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The payload as Webhook.verify returned it, or the error it threw. */
  verified: { ok: true; payload: any } | { ok: false; error: string };
  /** Which of the receiver's secrets verified it, by index. */
  verifiedWith: number[];
}

/** Webhook.verify as a receiver whose clock reads `now` (the library checks the timestamp
 *  against Date.now(): ±5 minutes), so tests that move Herald's clock still verify. */
function verifyAt(secret: string, body: string, headers: Record<string, string>, now: number | undefined) {
  const realNow = Date.now;
  if (now !== undefined) Date.now = () => now;
  try {
    return new Webhook(secret).verify(body, headers);
  } finally {
    Date.now = realNow;
  }
}

/**
 * A site's webhook receiver. `secrets`: what it verifies with; `answers`: statuses to answer in
 * order (the last repeats); `clock`: its time (webhookDeps shares Herald's with it).
 */
export function receiver(opts: { secrets?: string[]; answers?: number[]; body?: string } = {}) {
  const secrets = [...(opts.secrets ?? [])];
  const answers = [...(opts.answers ?? [200])];
  const received: Delivery[] = [];
  const self = { fetch: undefined as unknown as typeof globalThis.fetch, received, secrets, clock: undefined as { now: number } | undefined };
  self.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input as RequestInfo, init);
    const body = await req.text();
    const headers = Object.fromEntries(req.headers);
    const verifiedWith = secrets.flatMap((s, i) => {
      try {
        verifyAt(s, body, headers, self.clock?.now);
        return [i];
      } catch {
        return [];
      }
    });
    let verified: Delivery["verified"];
    try {
      verified = { ok: true, payload: verifyAt(secrets[0] ?? "whsec_AA==", body, headers, self.clock?.now) };
    } catch (err) {
      verified = { ok: false, error: String(err instanceof Error ? err.message : err) };
    }
    received.push({ url: req.url, headers, body, verified, verifiedWith });
    const status = answers.length > 1 ? answers.shift()! : answers[0]!;
    return new Response(opts.body ?? (status < 300 ? "ok" : "nope"), { status });
  }) as typeof globalThis.fetch;
  return self;
}

export interface Queued {
  body: WebhookMessage;
  delayS: number;
}

/** A WEBHOOK_QUEUE that records; `failing` makes sends throw (a Queues outage). */
export function recordingQueue() {
  const sent: Queued[] = [];
  const q = {
    sent,
    failing: false,
    async send(body: unknown, o?: { delaySeconds?: number }) {
      if (q.failing) throw new Error("Queue send failed (test)");
      sent.push({ body: body as WebhookMessage, delayS: o?.delaySeconds ?? 0 });
    },
    async sendBatch(messages: Iterable<{ body: unknown; delaySeconds?: number }>) {
      if (q.failing) throw new Error("Queue send failed (test)");
      for (const m of messages) sent.push({ body: m.body as WebhookMessage, delayS: m.delaySeconds ?? 0 });
    },
  };
  return q;
}

/** Deps whose fetch is the receiver (sharing its clock) or any fetch, and whose queue records. */
export function webhookDeps(to: ReturnType<typeof receiver> | typeof globalThis.fetch, start = Date.now()) {
  const queue = recordingQueue();
  const clock = { now: start };
  if (typeof to !== "function") to.clock = clock;
  const fetch = typeof to === "function" ? to : to.fetch;
  const deps: Deps = { ...makeDeps(env, () => clock.now), env: { ...env, WEBHOOK_QUEUE: queue as unknown as Queue }, fetch };
  return { deps, queue, clock };
}

let run = 0;
/** Runs messages through the consumer; returns the queue's verdict on each. */
export async function consume(deps: Deps, bodies: WebhookMessage[], attempts = 1) {
  const prefix = `w${++run}m`;
  const batch = createMessageBatch<WebhookMessage>(
    "herald-webhooks",
    bodies.map((body, i) => ({ id: `${prefix}${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await handleWebhookBatch(deps, batch);
  return getQueueResult(batch, ctx);
}

/** Delivers everything queued, oldest first, moving the clock to each message's due time
 *  (or not at all, with `moveClock: false`), until the queue is empty or `max` messages ran. */
export async function drain(w: ReturnType<typeof webhookDeps>, opts: { max?: number; moveClock?: boolean } = {}) {
  const delays: number[] = [];
  for (let n = 0; w.queue.sent.length && n < (opts.max ?? 50); n++) {
    const next = w.queue.sent.shift()!;
    delays.push(next.delayS);
    if (opts.moveClock !== false) w.clock.now += next.delayS * 1000;
    await consume(w.deps, [next.body]);
  }
  return delays;
}

/** A site with one endpoint at the receiver's origin; returns its id and secret. */
export async function siteWithEndpoint(label: string, body: Record<string, unknown> = {}) {
  const { owner, site } = await tenant(label);
  const created = await call("POST", `/api/sites/${site.id}/webhooks`, {
    token: owner.token,
    body: { url: `${RECEIVER_ORIGIN}/hooks/${label}`, ...body },
  });
  if (created.status !== 201) throw new Error(`create webhook: ${created.status} ${JSON.stringify(created.body)}`);
  return { owner, site, endpoint: created.body as { id: string; secret: string; url: string } };
}
