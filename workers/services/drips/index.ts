// Welcome drip campaigns (issue #10 §4): a new web push subscriber enters every active drip of
// the site and gets each step at their subscription time plus the step's delay.
//
// Per-subscriber schedules live in a due index (drip_enrollments.next_due_at, partial index on
// active rows) that the minute cron claims in bulk — not a Durable Object alarm per subscriber:
// 100,000 subscribers entering in a day are 100,000 rows and, per cron run, one claim query and
// one notification per (drip, step) due, whatever the count (DRIP_CLAIM_BATCH per run).
//
//   claim (UPDATE … RETURNING: one run owns each row; a claim whose run died is retaken after
//   DRIP_CLAIM_STALE_MS) → per (drip, step): one notification to those subscribers
//   (subscriber_ids), recorded in the transaction that moves them to the next step → planned
//   and sent through the normal path, so preferences, quiet hours and caps apply.
//
// A crash before that transaction leaves the rows claimed, retaken later (nothing sent); after it,
// the notification exists and is planned (or re-planned by cron's unplanned-send recovery): a step
// is never sent twice to a subscriber. Unsubscribed subscribers leave when their next step comes.
// Editing a drip changes what pending steps say and when they are due (by step id: a step a
// subscriber got is not sent again); activating lets new subscribers in (not existing ones).
import { DRIP_CLAIM_BATCH, DRIP_CLAIM_STALE_MS } from "../../config";
import type { DripInput, DripStep, DripView } from "../../contracts/drips";
import * as q from "../../db/queries/drips";
import { ApiError } from "../../errors";
import { newId } from "../../lib/ids";
import { sendMessage } from "../../queues/messages";
import type { Deps } from "../deps";
import { campaignValues } from "../notifications";

const stepId = () => [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, "0")).join("");

async function view(deps: Deps, d: q.DripRow): Promise<DripView> {
  const [counts, outcomes] = await Promise.all([q.enrollmentCounts(deps.db, d.id), q.stepOutcomes(deps.db, d.siteId, d.id)]);
  const by = (status: string) => counts.filter((c) => c.status === status).reduce((a, c) => a + c.n, 0);
  const out = new Map(outcomes.map((o) => [o.stepId, o]));
  return {
    id: d.id,
    name: d.name,
    status: d.status,
    steps: d.steps,
    entered: counts.reduce((a, c) => a + c.n, 0),
    completed: by("completed"),
    left: by("left"),
    funnel: d.steps.map((s, i) => ({
      step_id: s.id,
      // Reached: got this step or are past it (completed rows sit past the last step).
      reached: counts.filter((c) => c.nextStep > i).reduce((a, c) => a + c.n, 0),
      sent: out.get(s.id)?.sent ?? 0,
      shown: out.get(s.id)?.shown ?? 0,
      clicked: out.get(s.id)?.clicked ?? 0,
    })),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

/** Each step checked as a campaign would be (its payload fits, fields valid), reported under steps.<i>. */
async function checkSteps(deps: Deps, siteId: string, steps: DripInput["steps"], keep: DripStep[] = []): Promise<DripStep[]> {
  const known = new Set(keep.map((s) => s.id));
  const out: DripStep[] = [];
  for (const [i, s] of steps.entries()) {
    if (s.id !== undefined && !known.has(s.id)) throw new ApiError("validation_failed", "Unknown step id.", [{ path: `steps.${i}.id`, message: "Not a step of this campaign: leave id out for a new step." }]);
    try {
      await campaignValues(deps, siteId, null, { ...s.content, target: { all: true } });
    } catch (e) {
      if (e instanceof ApiError && e.fields?.length) throw new ApiError(e.code, e.message, e.fields.map((f) => ({ ...f, path: `steps.${i}.content.${f.path}` })));
      throw e;
    }
    out.push({ id: s.id ?? stepId(), delay_minutes: s.delay_minutes, content: s.content });
  }
  return out;
}

async function load(deps: Deps, siteId: string, id: string) {
  const d = await q.findDrip(deps.db, siteId, id);
  if (!d) throw new ApiError("not_found", "Campaign not found.");
  return d;
}

export async function createDrip(deps: Deps, siteId: string, input: DripInput) {
  const now = deps.now();
  const steps = await checkSteps(deps, siteId, input.steps);
  return view(deps, await q.insertDrip(deps.db, { id: newId("drp", now), siteId, name: input.name, status: "draft", steps, createdAt: now, updatedAt: now }));
}

export const getDrip = async (deps: Deps, siteId: string, id: string) => view(deps, await load(deps, siteId, id));

export async function listDrips(deps: Deps, siteId: string) {
  return { data: await Promise.all((await q.listDrips(deps.db, siteId)).map((d) => view(deps, d))) };
}

export async function updateDrip(deps: Deps, siteId: string, id: string, patch: Partial<DripInput>) {
  const d = await load(deps, siteId, id);
  const now = deps.now();
  if (patch.steps) await q.replaceSteps(deps.db, siteId, id, await checkSteps(deps, siteId, patch.steps, d.steps), d.steps, now);
  if (patch.name !== undefined) await q.renameDrip(deps.db, siteId, id, patch.name, now);
  return getDrip(deps, siteId, id);
}

export async function setDripStatus(deps: Deps, siteId: string, id: string, status: "active" | "paused") {
  await load(deps, siteId, id);
  return view(deps, (await q.setDripStatus(deps.db, siteId, id, status, deps.now()))!);
}

export async function deleteDrip(deps: Deps, siteId: string, id: string) {
  if (!(await q.deleteDrip(deps.db, siteId, id))) throw new ApiError("not_found", "Campaign not found.");
}

/** A new subscriber enters the site's active drips (called when a subscription is created). */
export const enrollSubscriber = (deps: Deps, siteId: string, subscriberId: string) => q.enrollSubscriber(deps.db, siteId, subscriberId, deps.now());

export interface DripRunResult {
  claimed: number;
  sends: Array<{ dripId: string; stepId: string; notificationId: string; recipients: number }>;
}

/** The cron's part (see the header). */
export async function runDueSteps(deps: Deps): Promise<DripRunResult> {
  const now = deps.now();
  const token = crypto.randomUUID();
  const claimed = await q.claimDue(deps.db, token, now, now - DRIP_CLAIM_STALE_MS, DRIP_CLAIM_BATCH);
  const result: DripRunResult = { claimed: claimed.length, sends: [] };
  const groups = new Map<string, q.ClaimedEnrollment[]>();
  for (const e of claimed) {
    const k = `${e.dripId}\u0000${e.nextStep}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  for (const rows of groups.values()) {
    const { dripId, siteId, nextStep } = rows[0]!;
    const d = await q.findDrip(deps.db, siteId, dripId);
    const step = d?.steps[nextStep];
    if (!d || !step) {
      await q.completeClaimed(deps.db, dripId, token);
      continue;
    }
    const following = d.steps[nextStep + 1];
    const values = await campaignValues(deps, siteId, null, { ...step.content, target: { subscriber_ids: rows.map((r) => r.subscriberId) } });
    const notification = { ...values, status: "sending" as const, startedAt: now };
    await q.recordStep(
      deps.db,
      { siteId, dripId, step: nextStep, stepId: step.id, token, nextDelayMs: following ? following.delay_minutes * 60_000 : null },
      notification,
      rows.length,
      now,
    );
    await deps.env.SEND_QUEUE.send(sendMessage.plan(siteId, values.id));
    result.sends.push({ dripId, stepId: step.id, notificationId: values.id, recipients: rows.length });
  }
  return result;
}
