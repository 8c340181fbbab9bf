// Consumer of the send queue. Each message is handled alone: ack on success,
// retry({ delaySeconds }) on a transient failure (push 429/5xx/timeouts, or an
// unexpected error), never a catch-all ack. Messages are processed one after another
// so an invocation keeps to the 6-outbound-connection limit.
import { backoffDelayS } from "../push/outcome";
import { makeDeps, type Deps } from "../services/deps";
import { deliverBatch } from "../services/sending/deliver";
import { planSend } from "../services/sending/planner";
import { recordDeadLetter } from "../services/sending/dead-letters";
import type { SendMessage } from "./messages";

async function handle(deps: Deps, msg: Message<SendMessage>): Promise<void> {
  const body = msg.body;
  if (body?.v !== 1) {
    // A message this code cannot read will not become readable by retrying: keep it, ack it.
    console.error("send queue: unknown message version", msg.id, body);
    await recordDeadLetter(deps, "herald-send", msg.id, body, msg.attempts);
    msg.ack();
    return;
  }
  switch (body.type) {
    case "plan":
      await planSend(deps, body.siteId, body.notificationId);
      msg.ack();
      return;
    case "deliver": {
      const result = await deliverBatch(deps, body, msg.attempts, body.lease ?? msg.id);
      if (result.status === "retry") msg.retry({ delaySeconds: result.delayS });
      else msg.ack();
      return;
    }
    default: {
      const unknown: never = body;
      console.error("send queue: unknown message type", msg.id, unknown);
      await recordDeadLetter(deps, "herald-send", msg.id, unknown, msg.attempts);
      msg.ack();
    }
  }
}

export async function consumeSendQueue(batch: MessageBatch<SendMessage>, env: Env): Promise<void> {
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
