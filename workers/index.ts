// The Worker's only entry: HTTP (Hono app), queue consumers and cron triggers.
import { app } from "./app";
import { runCron } from "./cron";
import { consumeSendDlq } from "./queues/dlq-consumer";
import type { QueuedSendMessage } from "./queues/messages";
import { consumeSendQueue } from "./queues/send-consumer";

export { RateLimiter } from "../durable-objects/rate-limiter";
export { SiteCounters } from "../durable-objects/site-counters";

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    if (batch.queue.endsWith("-dlq")) await consumeSendDlq(batch, env);
    else await consumeSendQueue(batch, env);
  },
  async scheduled(controller, env) {
    await runCron(controller, env);
  },
} satisfies ExportedHandler<Env, QueuedSendMessage>;
