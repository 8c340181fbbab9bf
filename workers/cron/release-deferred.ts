// Every minute: send what quiet hours held back (issue #9 §3). Deferred deliveries whose
// release time has come are handed back to the normal send path: per (notification, channel),
// one transaction (db/queries/notifications.ts releaseDeferred) deletes the due deferred rows,
// adds a batch covering their recipient-id range and reopens the send; then the batch's deliver
// message is enqueued. The decision runs again when it is delivered (the window is over → send;
// an opt-out since → skipped).
//
// Why this is exactly once and crash-safe:
// - two runs (a trigger fired twice, overlapping runs): the rows are deleted in the same
//   transaction that adds the batch, so only one run finds them; the other adds nothing.
// - the edge dies after the transaction, before the enqueue: the batch is open and unleased and
//   the send is `sending` with progress_at = now, so the stalled-send recovery of
//   cron/scheduled-sends.ts re-enqueues it after SEND_STALL_AFTER_MS.
// - the edge dies before the transaction: nothing changed; the next run releases the rows.
// - the batch is delivered twice: the sender's lease and delivery rows hold, as for any batch.
// Cron, not the queue's delay: a Queues delay is at most 12 hours, quiet hours can be longer.
import type { ChannelId } from "../contracts/channels";
import { RELEASE_DEFERRED_MAX_PER_RUN } from "../config";
import { dueDeferred, releaseDeferred } from "../db/queries/notifications";
import { sendMessage } from "../queues/messages";
import type { Deps } from "../services/deps";

export interface ReleaseResult {
  released: Array<{ notificationId: string; channel: string; batch: number }>;
}

export async function runReleaseDeferred(deps: Deps): Promise<ReleaseResult> {
  const now = deps.now();
  const released: ReleaseResult["released"] = [];
  for (const d of await dueDeferred(deps.db, now, RELEASE_DEFERRED_MAX_PER_RUN)) {
    const lease = crypto.randomUUID();
    const batch = await releaseDeferred(deps.db, d.siteId, d.notificationId, d.channel, now, lease);
    if (!batch) continue; // another run released them
    await deps.env.SEND_QUEUE.send(sendMessage.deliver(d.channel as ChannelId, d.siteId, d.notificationId, batch.batch, batch.fromId, batch.toId, lease));
    released.push({ notificationId: d.notificationId, channel: d.channel, batch: batch.batch });
  }
  return { released };
}
