// Who a send goes to. One definition: the API validates it, the planner and the audience count
// compile it to SQL (db/queries/targeting.ts), the dashboard's Targeting editor builds it.
import { z } from "@hono/zod-openapi";
import { MAX_TAG_CHARS, MAX_TAGS, MAX_TARGET_IDS } from "../config";

const TagList = z.array(z.string().min(1).max(MAX_TAG_CHARS)).max(MAX_TAGS);
const IdList = z.array(z.string().min(1).max(200)).min(1).max(MAX_TARGET_IDS);

export const TargetSchema = z
  .union(
    [
      z.strictObject({ all: z.literal(true) }),
      z.strictObject({
        tags: z
          .strictObject({ any: TagList.optional(), all: TagList.optional(), none: TagList.optional() })
          .refine((t) => (t.any?.length ?? 0) + (t.all?.length ?? 0) + (t.none?.length ?? 0) > 0, "Name at least one tag."),
      }),
      z.strictObject({ subscriber_ids: IdList }),
      z.strictObject({ external_ids: IdList }),
      z.strictObject({ segment_id: z.string().min(1).max(64) }),
    ],
    { error: "Must be one of: { all: true }, { tags: { any, all, none } }, { subscriber_ids: [...] }, { external_ids: [...] } or { segment_id }." },
  )
  .openapi("Target", { example: { all: true } });

export type Target = z.infer<typeof TargetSchema>;

/** The target of one slice of an A/B test (services/ab-tests): the campaign's audience, cut by
 *  a bucket of each subscriber's id (0–1023, from its random last two characters) in [from, to). */
export interface AbSlice {
  ab_slice: { of: Target; from: number; to: number };
}

/** A segment target as a send stores it once it starts (services/segments resolveTarget): the
 *  segment's rules and the instant relative rules ("last seen within 7 days") count from, so
 *  the audience no longer follows edits of the segment. */
export interface SegmentSnapshot {
  segment_id: string;
  rules: import("./segments").Group;
  as_of: number;
}
