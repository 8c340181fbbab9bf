// Every minute: claim scheduled notifications that are due and hand each to the planner,
// re-plan sends whose plan message was lost, and resume sends that stalled (issue #7: the
// edge died mid-send and its queue messages with it). Claims are atomic UPDATE … RETURNING,
// so a trigger that fires twice (or overlaps) neither sends twice nor recovers twice.
import type { ChannelId } from "../contracts/channels";
import { PLAN_RECOVERY_AFTER_MS, SEND_LEASE_MS, SEND_STALL_AFTER_MS } from "../config";
import { claimDueScheduled, claimStalledSends, reassignOrphanedBatches, unplannedSending } from "../db/queries/notifications";
import { enqueueSendMessages, sendMessage } from "../queues/messages";
import type { Deps } from "../services/deps";

export interface ScheduledSendsResult {
  claimed: number;
  recovered: number;
  /** Stalled sends picked up again, with how many batches each got re-enqueued. */
  resumed: Array<{ notificationId: string; batches: number }>;
}

export async function runScheduledSends(deps: Deps): Promise<ScheduledSendsResult> {
  const now = deps.now();
  const due = await claimDueScheduled(deps.db, now);
  const unplanned = await unplannedSending(deps.db, now - PLAN_RECOVERY_AFTER_MS);
  await enqueueSendMessages(deps.env.SEND_QUEUE, [...due, ...unplanned].map((n) => sendMessage.plan(n.siteId, n.id)));

  // Stalled: nothing recorded for SEND_STALL_AFTER_MS. Only batches whose lease lapsed are
  // re-enqueued — one held through a retry delay (429 Retry-After) is still its message's —
  // each already leased to the message that resumes it.
  const stalled = await claimStalledSends(deps.db, now - SEND_STALL_AFTER_MS, now);
  const resumed: ScheduledSendsResult["resumed"] = [];
  for (const n of stalled) {
    const orphans = await reassignOrphanedBatches(deps.db, n.id, now, SEND_LEASE_MS);
    await enqueueSendMessages(
      deps.env.SEND_QUEUE,
      orphans.map((b) => sendMessage.deliver(b.channel as ChannelId, n.siteId, n.id, b.batch, b.fromId, b.toId, b.owner!)),
    );
    if (orphans.length) resumed.push({ notificationId: n.id, batches: orphans.length });
  }
  return { claimed: due.length, recovered: unplanned.length, resumed };
}
