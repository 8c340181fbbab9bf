// The planner: cuts one notification's audience, channel by channel, into batches of
// recipient-id ranges and enqueues one deliver message per batch. The cut is stored first, so
// a re-run (a redelivered plan message, or cron recovering a lost one) reuses the same
// ranges; batches already done are not enqueued again.
import { channel as channelOf } from "../../channels";
import { CHANNEL_IDS, type ChannelId } from "../../contracts/channels";
import { PLANNER_PAGE_IDS, SEND_BATCH_SUBSCRIBERS } from "../../config";
import * as q from "../../db/queries/notifications";
import type { Target } from "../../db/queries/targeting";
import { enqueueSendMessages, sendMessage } from "../../queues/messages";
import type { Deps } from "../deps";
import { splitTest } from "../ab-tests";
import { resolveTarget } from "../segments";

export type PlanResult = { status: "planned"; batches: number; targeted: number } | { status: "skipped"; reason: string };

/** The send's channels, in planning order (campaigns from before channels: web push). */
export const sendChannels = (n: q.NotificationRow): ChannelId[] =>
  (n.channels ?? ["web_push"]).filter((c): c is ChannelId => (CHANNEL_IDS as readonly string[]).includes(c));

async function cutBatches(deps: Deps, siteId: string, target: Target, channels: ChannelId[]) {
  const batches: q.PlannedBatch[] = [];
  let current: string[] = [];
  let targeted = 0;
  const flush = (channel: ChannelId) => {
    if (!current.length) return;
    batches.push({ notificationId: "", batch: batches.length, channel, fromId: current[0]!, toId: current[current.length - 1]!, size: current.length });
    current = [];
  };
  for (const channel of channels) {
    let after = "";
    for (;;) {
      const page = await channelOf(channel).audience(deps, siteId, target, after, PLANNER_PAGE_IDS);
      for (const { id } of page) {
        current.push(id);
        targeted++;
        if (current.length === SEND_BATCH_SUBSCRIBERS) flush(channel);
      }
      if (page.length < PLANNER_PAGE_IDS) break;
      after = page[page.length - 1]!.id;
    }
    flush(channel);
  }
  return { batches, targeted };
}

export async function planSend(deps: Deps, siteId: string, notificationId: string): Promise<PlanResult> {
  const notification = await q.findNotification(deps.db, siteId, notificationId);
  if (!notification) return { status: "skipped", reason: "not_found" };
  if (notification.status !== "sending") return { status: "skipped", reason: notification.status };

  // A campaign with an A/B test sends through its variants' sends (services/ab-tests), not itself.
  if (notification.abTest && !notification.parentId) {
    if (!notification.abTest.phase) await splitTest(deps, notification);
    return { status: "skipped", reason: "ab_test" };
  }
  let batches = await q.listBatches(deps.db, notificationId);
  if (notification.batchesTotal === 0) {
    // A segment is fixed when the send starts: its rules as of now are stored on the send.
    let target = notification.target as unknown as Target;
    if ("segment_id" in target && !("rules" in target)) {
      try {
        target = await resolveTarget(deps, siteId, target, notification.startedAt ?? deps.now());
      } catch {
        await q.transition(deps.db, siteId, notificationId, ["sending"], { status: "failed", completedAt: deps.now(), updatedAt: deps.now() });
        return { status: "skipped", reason: "segment_not_found" };
      }
      await q.transition(deps.db, siteId, notificationId, ["sending"], { target: target as unknown as Record<string, unknown> });
    }
    const cut = await cutBatches(deps, siteId, target, sendChannels(notification));
    if (cut.batches.length === 0) {
      await q.transition(deps.db, siteId, notificationId, ["sending"], { status: "completed", completedAt: deps.now(), updatedAt: deps.now() });
      return { status: "planned", batches: 0, targeted: 0 };
    }
    await q.savePlan(deps.db, siteId, notificationId, cut.batches.map((b) => ({ ...b, notificationId })), cut.targeted, deps.now());
    batches = await q.listBatches(deps.db, notificationId);
  }

  const pending = batches.filter((b) => b.doneAt === null);
  await enqueueSendMessages(
    deps.env.SEND_QUEUE,
    pending.map((b) => sendMessage.deliver(b.channel as ChannelId, siteId, notificationId, b.batch, b.fromId, b.toId)),
  );
  const fresh = await q.findNotification(deps.db, siteId, notificationId);
  return { status: "planned", batches: batches.length, targeted: fresh?.targeted ?? 0 };
}
