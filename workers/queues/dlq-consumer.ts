// Consumer of the send dead-letter queue: records what died and settles it
// (services/sending/dead-letters.ts). A message it cannot settle is retried, not dropped.
import { makeDeps } from "../services/deps";
import { recordDeadLetter, settleDeadMessage } from "../services/sending/dead-letters";
import { emitNotificationSentIfCompleted } from "../services/webhooks/events";
import { type QueuedSendMessage, readSendMessage } from "./messages";

export async function consumeSendDlq(batch: MessageBatch<QueuedSendMessage>, env: Env): Promise<void> {
  const deps = makeDeps(env);
  for (const msg of batch.messages) {
    try {
      await recordDeadLetter(deps, batch.queue, msg.id, msg.body, msg.attempts);
      const body = readSendMessage(msg.body, msg.id);
      if (body) {
        await settleDeadMessage(deps, body);
        await emitNotificationSentIfCompleted(deps, body.siteId, body.notificationId);
      }
      msg.ack();
    } catch (err) {
      console.error("send DLQ: could not settle", msg.id, err);
      msg.retry({ delaySeconds: 30 });
    }
  }
}
