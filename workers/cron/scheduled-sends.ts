// Every minute: claim scheduled notifications that are due and hand each to the
// planner. The claim is one atomic UPDATE … RETURNING, so a trigger that fires twice
// (or overlaps) never sends twice. Also re-plans sends whose plan message was lost.
import { PLAN_RECOVERY_AFTER_MS } from "../config";
import { claimDueScheduled, unplannedSending } from "../db/queries/notifications";
import { sendMessage } from "../queues/messages";
import type { Deps } from "../services/deps";

export async function runScheduledSends(deps: Deps): Promise<{ claimed: number; recovered: number }> {
  const now = deps.now();
  const due = await claimDueScheduled(deps.db, now);
  const stuck = await unplannedSending(deps.db, now - PLAN_RECOVERY_AFTER_MS);
  const plans = [...due, ...stuck].map((n) => ({ body: sendMessage.plan(n.siteId, n.id) }));
  for (let i = 0; i < plans.length; i += 100) await deps.env.SEND_QUEUE.sendBatch(plans.slice(i, i + 100));
  return { claimed: due.length, recovered: stuck.length };
}
