// A/B tests of a campaign (issue #10 §7). A campaign with `ab_test` does not send itself: when
// it starts, the planner calls splitTest, which creates one send per variant (a child campaign,
// id "<campaign>_v<n>", its content the campaign's with the variant's fields) to an even slice
// of the test share of the audience — each subscriber's bucket (0–1023, from the random end of
// its id: db/queries/targeting.ts) decides which — in one transaction with the campaign's move
// to phase "testing" (the children's ids make a second split fail as a whole). Each child has its
// own numbers. When the window ends, decideDueTests (the minute cron) picks the variant with the
// best click-through — clicks over impressions where the browser reported them, else over sent —
// and sends it to the rest of the audience ("<campaign>_w", buckets past the test share); with
// pick "manual", the marketer picks (pickWinner). A winner is picked with its 95 % intervals
// (Wilson): `confident` says whether its lead is beyond the noise; the stats show the intervals
// and the sample sizes, never a bare "winner".
import type { AbTest, StoredAbTest, VariantResult } from "../../contracts/ab-test";
import type { AbSlice, Target } from "../../contracts/target";
import * as q from "../../db/queries/ab-tests";
import type { NotificationRow } from "../../db/queries/notifications";
import { ApiError } from "../../errors";
import { sendMessage } from "../../queues/messages";
import type { Deps } from "../deps";
import { resolveTarget } from "../segments";

const BUCKETS = 1024;
const slice = (of: Target, from: number, to: number): Target => ({ ab_slice: { of, from, to } }) satisfies AbSlice as unknown as Target;

/** The children a campaign's test makes: one per variant, then the winner's. */
function child(parent: NotificationRow, suffix: string, variant: number, content: Record<string, unknown>, target: Target, now: number): q.NotificationInsert {
  return {
    ...parent,
    id: `${parent.id}_${suffix}`,
    content,
    target: target as unknown as Record<string, unknown>,
    abTest: null,
    parentId: parent.id,
    variant,
    status: "sending",
    scheduledAt: null,
    startedAt: now,
    completedAt: null,
    targeted: 0,
    batchesTotal: 0,
    progressAt: null,
    archivedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

const variantContent = (parent: NotificationRow, v: AbTest["variants"][number]) => ({ ...(parent.content as Record<string, unknown>), ...v });

/** Starts the test (see the header); a second call for the same campaign does nothing. */
export async function splitTest(deps: Deps, parent: NotificationRow): Promise<void> {
  const ab = parent.abTest!;
  const now = deps.now();
  const of = await resolveTarget(deps, parent.siteId, parent.target as unknown as Target, now);
  const testBuckets = Math.round(ab.test_share * BUCKETS);
  const per = testBuckets / ab.variants.length;
  const children = ab.variants.map((v, i) => child(parent, `v${i + 1}`, i, variantContent(parent, v), slice(of, Math.round(i * per), Math.round((i + 1) * per)), now));
  const stored: StoredAbTest = { ...ab, phase: "testing", test_ends_at: now + ab.window_minutes * 60_000 };
  if (!(await q.insertChildren(deps.db, parent, children, { abTest: stored, target: of as unknown as Record<string, unknown> }, now))) return;
  for (const c of children) await deps.env.SEND_QUEUE.send(sendMessage.plan(parent.siteId, c.id!));
}

/** Wilson score interval (95 %) of `hits` out of `n`. */
function wilson(hits: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = hits / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Each variant's numbers, with the interval of its click-through. */
export async function variantResults(deps: Deps, parent: NotificationRow): Promise<VariantResult[]> {
  const rows = await q.variantCounts(deps.db, parent.siteId, parent.id);
  return rows.map((r) => {
    const base = r.impressions > 0 ? r.impressions : r.sent;
    const clicks = Math.min(r.clicks, base);
    const [low, high] = wilson(clicks, base);
    return { variant: r.variant, notification_id: r.id, sent: r.sent, impressions: r.impressions, clicks: r.clicks, ctr: base ? round4(clicks / base) : 0, ctr_low: round4(low), ctr_high: round4(high) };
  });
}

/** Sends `variant` to the rest of the audience; false when a winner was already sent. */
async function sendWinner(deps: Deps, parent: NotificationRow, variant: number, confident: boolean): Promise<boolean> {
  const ab = parent.abTest!;
  const now = deps.now();
  const w = child(parent, "w", variant, variantContent(parent, ab.variants[variant]!), slice(parent.target as unknown as Target, Math.round(ab.test_share * BUCKETS), BUCKETS), now);
  const stored: StoredAbTest = { ...ab, phase: "decided", winner: variant, confident };
  if (!(await q.insertWinner(deps.db, parent, w, stored, now))) return false;
  await deps.env.SEND_QUEUE.send(sendMessage.plan(parent.siteId, w.id!));
  return true;
}

/** The best click-through, and whether its interval clears every other variant's. */
export function chooseWinner(results: VariantResult[]): { variant: number; confident: boolean } {
  const best = [...results].sort((a, b) => b.ctr - a.ctr || a.variant - b.variant)[0]!;
  const confident = results.every((r) => r.variant === best.variant || best.ctr_low > r.ctr_high);
  return { variant: best.variant, confident };
}

/** The cron's part: tests whose window ended, with pick auto, get their winner sent. */
export async function decideDueTests(deps: Deps) {
  const decided: Array<{ notificationId: string; winner: number; confident: boolean }> = [];
  for (const parent of await q.dueTests(deps.db, deps.now())) {
    const pick = chooseWinner(await variantResults(deps, parent));
    if (await sendWinner(deps, parent, pick.variant, pick.confident)) decided.push({ notificationId: parent.id, winner: pick.variant, ...pick });
  }
  return decided;
}

/** The marketer's pick (any time during the test, or after it with pick manual). */
export async function pickWinner(deps: Deps, parent: NotificationRow, variant: number) {
  const ab = parent.abTest;
  if (!ab) throw new ApiError("invalid_state", "This notification has no A/B test.");
  if (ab.phase !== "testing") throw new ApiError("invalid_state", ab.phase === "decided" ? "The winner was already sent." : "The test has not started yet.");
  if (variant < 0 || variant >= ab.variants.length) throw new ApiError("validation_failed", "No such variant.", [{ path: "variant", message: `Pick 0 to ${ab.variants.length - 1}.` }]);
  const confident = chooseWinner(await variantResults(deps, parent)).confident;
  if (!(await sendWinner(deps, parent, variant, confident))) throw new ApiError("invalid_state", "The winner was already sent.");
}
