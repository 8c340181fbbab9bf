// Consumers of the webhook queue and its dead-letter queue. Each message is one attempt
// (services/webhooks/deliver.ts), handled alone, WEBHOOK_CONCURRENCY at a time: ack once it is
// recorded (the attempt itself enqueues the next one on failure — the retry schedule is ours,
// not the queue's), retry({ delaySeconds }) when another message holds it or it is not due yet,
// and retry with backoff when the consumer itself failed (D1 unreachable…). Messages that still
// fail land in the DLQ, which marks their attempt failed so the log says so. Never a catch-all ack.
import { WEBHOOK_CONCURRENCY } from "../config";
import * as q from "../db/queries/webhooks";
import { backoffDelayS } from "../lib/backoff";
import { makeDeps, type Deps } from "../services/deps";
import { recordDeadLetter } from "../services/sending/dead-letters";
import { runQueuedAttempt } from "../services/webhooks/deliver";
import { readWebhookMessage, type WebhookMessage } from "./webhook-messages";

async function handle(deps: Deps, queue: string, msg: Message<WebhookMessage>): Promise<void> {
  const body = readWebhookMessage(msg.body);
  if (!body) {
    // Retrying will not make it readable: keep it, ack it.
    console.error("webhook queue: unreadable message", msg.id);
    await recordDeadLetter(deps, queue, msg.id, msg.body, msg.attempts);
    msg.ack();
    return;
  }
  switch (body.type) {
    case "attempt": {
      const result = await runQueuedAttempt(deps, body.siteId, body.deliveryId);
      if (result.status === "retry") msg.retry({ delaySeconds: result.delayS });
      else msg.ack();
      return;
    }
    default: {
      const unknown: never = body.type;
      throw new Error(`unhandled webhook message type: ${String(unknown)}`);
    }
  }
}

/** Runs every message of the batch, at most WEBHOOK_CONCURRENCY at a time (one fetch each). */
export async function handleWebhookBatch(deps: Deps, batch: MessageBatch<WebhookMessage>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < batch.messages.length) {
      const msg = batch.messages[next++]!;
      try {
        await handle(deps, batch.queue, msg);
      } catch (err) {
        console.error("webhook queue: message failed, will retry", msg.id, err instanceof Error ? err.message : err);
        msg.retry({ delaySeconds: backoffDelayS(msg.attempts) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(WEBHOOK_CONCURRENCY, batch.messages.length) }, worker));
}

export const consumeWebhookQueue = (batch: MessageBatch<WebhookMessage>, env: Env) => handleWebhookBatch(makeDeps(env), batch);

/** An attempt whose message died is marked failed (unless it finished meanwhile); the log shows it. */
export async function handleWebhookDlq(deps: Deps, batch: MessageBatch<WebhookMessage>): Promise<void> {
  for (const msg of batch.messages) {
    try {
      await recordDeadLetter(deps, batch.queue, msg.id, msg.body, msg.attempts);
      const body = readWebhookMessage(msg.body);
      if (body) await q.failDeadAttempt(deps.db, body.siteId, body.deliveryId, deps.now());
      msg.ack();
    } catch (err) {
      console.error("webhook DLQ: could not settle", msg.id, err instanceof Error ? err.message : err);
      msg.retry({ delaySeconds: 30 });
    }
  }
}

export const consumeWebhookDlq = (batch: MessageBatch<WebhookMessage>, env: Env) => handleWebhookDlq(makeDeps(env), batch);
