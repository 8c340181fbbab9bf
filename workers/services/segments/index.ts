// Segments (issue #10 §1): saved audiences of web push subscribers as rules (contracts/
// segments.ts), compiled to one SQL condition (db/queries/segments.ts). A send may target
// `{ segment_id }`; resolveTarget turns that into a snapshot of the rules and the instant they
// count from, which the planner stores on the send when it starts — so the audience is fixed
// then: editing or deleting the segment later does not change a started send, and a redelivered
// plan sees the same rules. (Who matches is read as batches go out, as for tags: a subscriber
// whose tags change mid-send may fall in or out of a batch not yet sent.)
import { PAGE_SIZE_MAX } from "../../config";
import type { Group, SegmentInput, SegmentView } from "../../contracts/segments";
import type { SegmentSnapshot, Target } from "../../contracts/target";
import * as q from "../../db/queries/segments";
import { countAudience } from "../../db/queries/targeting";
import { ApiError, invalidField } from "../../errors";
import { newId } from "../../lib/ids";
import type { Deps } from "../deps";

const view = (s: q.SegmentRow): SegmentView => ({
  id: s.id,
  name: s.name,
  description: s.description,
  rules: s.rules,
  estimated_count: s.estimatedCount,
  estimated_at: s.estimatedAt,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

async function load(deps: Deps, siteId: string, id: string) {
  const s = await q.findSegment(deps.db, siteId, id);
  if (!s) throw new ApiError("not_found", "Segment not found.");
  return s;
}

/** How many active subscribers match the rules now. */
export async function estimate(deps: Deps, siteId: string, rules: Group) {
  const now = deps.now();
  return { count: await countAudience(deps.db, siteId, { segment_id: "unsaved", rules, as_of: now } as SegmentSnapshot as Target), computed_at: now };
}

export async function createSegment(deps: Deps, siteId: string, input: SegmentInput) {
  const now = deps.now();
  const { count } = await estimate(deps, siteId, input.rules);
  const row = await q.insertSegment(deps.db, {
    id: newId("seg", now),
    siteId,
    name: input.name,
    description: input.description ?? null,
    rules: input.rules,
    estimatedCount: count,
    estimatedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  return view(row);
}

export const getSegment = async (deps: Deps, siteId: string, id: string) => view(await load(deps, siteId, id));

export async function listSegments(deps: Deps, siteId: string, cursor: string | undefined, limit = PAGE_SIZE_MAX) {
  const rows = await q.listSegments(deps.db, siteId, cursor, limit + 1);
  const page = rows.slice(0, limit);
  return { data: page.map(view), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

export async function updateSegment(deps: Deps, siteId: string, id: string, patch: Partial<SegmentInput>) {
  await load(deps, siteId, id);
  const now = deps.now();
  const counted = patch.rules ? await estimate(deps, siteId, patch.rules) : null;
  const row = await q.updateSegment(deps.db, siteId, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.rules ? { rules: patch.rules, estimatedCount: counted!.count, estimatedAt: now } : {}),
    updatedAt: now,
  });
  return view(row!);
}

export async function deleteSegment(deps: Deps, siteId: string, id: string) {
  if (!(await q.deleteSegment(deps.db, siteId, id))) throw new ApiError("not_found", "Segment not found.");
}

/** Counts the saved segment now and keeps the count on it. */
export async function estimateSegment(deps: Deps, siteId: string, id: string) {
  const s = await load(deps, siteId, id);
  const e = await estimate(deps, siteId, s.rules);
  await q.updateSegment(deps.db, siteId, id, { estimatedCount: e.count, estimatedAt: e.computed_at });
  return e;
}

/**
 * A target ready for the audience SQL: a `{ segment_id }` becomes the snapshot of its rules as of
 * `now` (a 400 on `target.segment_id` when the site has no such segment); a snapshot already
 * taken, and every other target, is returned as it is.
 */
export async function resolveTarget(deps: Deps, siteId: string, target: Target, now: number, field = "target"): Promise<Target> {
  if (!("segment_id" in target) || (target as Partial<SegmentSnapshot>).rules) return target;
  const s = await q.findSegment(deps.db, siteId, target.segment_id);
  if (!s) throw invalidField(`${field}.segment_id`, "The site has no such segment.");
  const snapshot: SegmentSnapshot = { segment_id: s.id, rules: s.rules, as_of: now };
  return snapshot as unknown as Target;
}
