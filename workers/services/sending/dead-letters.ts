// What happens to send messages that exhausted their retries (the DLQ consumer):
// each is recorded in dead_letters; a deliver batch's still-pending subscribers are
// recorded as failed ("retries_exhausted") and the batch finished, so the
// notification still completes and its stats add up (unless another message holds the
// batch: then it is that one's to finish); a lost plan fails the notification.
import { deadLetters } from "../../db/schema";
import * as q from "../../db/queries/notifications";
import { channel } from "../../channels";
import type { SendMessage } from "../../queues/messages";
import type { Deps } from "../deps";
import { recordOutcomes } from "./deliver";

export async function recordDeadLetter(deps: Deps, queue: string, messageId: string, body: unknown, attempts: number) {
  const notificationId = (body as { notificationId?: unknown })?.notificationId;
  await deps.db
    .insert(deadLetters)
    .values({
      id: `dlq_${messageId}`,
      queue,
      notificationId: typeof notificationId === "string" ? notificationId : null,
      body: body ?? null,
      attempts,
      createdAt: deps.now(),
    })
    .onConflictDoNothing()
    .run();
}

export async function settleDeadMessage(deps: Deps, body: SendMessage): Promise<void> {
  const notification = await q.findNotification(deps.db, body.siteId, body.notificationId);
  if (!notification) return;
  const now = deps.now();
  switch (body.type) {
    case "plan":
      await q.transition(deps.db, body.siteId, body.notificationId, ["sending"], { status: "failed", completedAt: now, updatedAt: now });
      return;
    case "deliver": {
      // A batch another message holds (a recovery is sending it) is that message's to finish.
      const batch = await q.findBatch(deps.db, body.notificationId, body.batch);
      if (!batch || batch.doneAt !== null || (batch.leaseUntil !== null && batch.leaseUntil > now && batch.leasedBy !== body.lease)) return;
      const job = { siteId: body.siteId, notificationId: body.notificationId, fromId: body.fromId, toId: body.toId };
      const left = await channel(body.channel).pendingRecipients(deps, job, notification);
      if (left.length) {
        const rows = left.map((r) => ({ subscriberId: r.id, status: "failed" as const, reason: "retries_exhausted", httpStatus: null }));
        await recordOutcomes(deps, body.siteId, body.notificationId, body.channel, rows, now);
      }
      await q.finishBatch(deps.db, body.notificationId, body.batch, now);
    }
  }
}
