// Consumer of the send queue. Each message is handled alone: ack on success,
// retry({ delaySeconds }) on a transient failure (a provider's 429/5xx/timeout, or an
// unexpected error), never a catch-all ack. Messages are processed one after another
// so an invocation keeps to the 6-outbound-connection limit.
import { backoffDelayS } from "../lib/backoff";
import { makeDeps, type Deps } from "../services/deps";
import { recordDeadLetter } from "../services/sending/dead-letters";
import { deliverBatch } from "../services/sending/deliver";
import { planSend } from "../services/sending/planner";
import { emitNotificationSentIfCompleted } from "../services/webhooks/events";
import { type QueuedSendMessage, readSendMessage } from "./messages";

async function handle(deps: Deps, msg: Message<QueuedSendMessage>): Promise<void> {
  const body = readSendMessage(msg.body, msg.id);
  if (!body) {
    // A message this code cannot read will not become readable by retrying: keep it, ack it.
    console.error("send queue: unreadable message", msg.id, msg.body);
    await recordDeadLetter(deps, "herald-send", msg.id, msg.body, msg.attempts);
    msg.ack();
    return;
  }
  switch (body.type) {
    case "plan":
      await planSend(deps, body.siteId, body.notificationId);
      // A plan that found nobody completes the notification at once.
      await emitNotificationSentIfCompleted(deps, body.siteId, body.notificationId);
      msg.ack();
      return;
    case "deliver": {
      const result = await deliverBatch(deps, body, msg.attempts);
      if (result.status === "retry") msg.retry({ delaySeconds: result.delayS });
      else {
        // The last batch to finish completes the notification (finishBatch); a redelivery emits
        // again under the same event id, so a failure here is retried without a duplicate.
        await emitNotificationSentIfCompleted(deps, body.siteId, body.notificationId);
        msg.ack();
      }
      return;
    }
    default: {
      const unknown: never = body;
      throw new Error(`unhandled message type: ${JSON.stringify(unknown)}`);
    }
  }
}

export async function consumeSendQueue(batch: MessageBatch<QueuedSendMessage>, env: Env): Promise<void> {
  const deps = makeDeps(env);
  for (const msg of batch.messages) {
    try {
      await handle(deps, msg);
    } catch (err) {
      console.error("send queue: message failed, will retry", msg.id, err instanceof Error ? err.stack : err);
      msg.retry({ delaySeconds: backoffDelayS(msg.attempts) });
    }
  }
}
