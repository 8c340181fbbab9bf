// The Worker's only entry: HTTP (Hono app), queue consumers and cron triggers.
import { app } from "./app";
import { runCron } from "./cron";
import { consumeSendDlq } from "./queues/dlq-consumer";
import type { QueuedSendMessage } from "./queues/messages";
import { consumeSendQueue } from "./queues/send-consumer";
import { consumeWebhookDlq, consumeWebhookQueue } from "./queues/webhook-consumer";
import type { WebhookMessage } from "./queues/webhook-messages";

export { RateLimiter } from "../durable-objects/rate-limiter";
export { SiteCounters } from "../durable-objects/site-counters";
export { UserInbox } from "../durable-objects/user-inbox";

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    // herald-webhooks and its DLQ (wrangler.toml); every other queue is the send queue's.
    if (batch.queue.startsWith("herald-webhooks")) {
      const webhooks = batch as MessageBatch<WebhookMessage>;
      if (batch.queue.endsWith("-dlq")) await consumeWebhookDlq(webhooks, env);
      else await consumeWebhookQueue(webhooks, env);
      return;
    }
    const sends = batch as MessageBatch<QueuedSendMessage>;
    if (batch.queue.endsWith("-dlq")) await consumeSendDlq(sends, env);
    else await consumeSendQueue(sends, env);
  },
  async scheduled(controller, env) {
    await runCron(controller, env);
  },
} satisfies ExportedHandler<Env, QueuedSendMessage | WebhookMessage>;
