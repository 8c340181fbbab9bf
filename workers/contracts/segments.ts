// Segments (issue #10 §1): saved audiences of web push subscribers, as rules — nested AND/OR
// groups of conditions on tags, the user's attributes, browser, OS, country, language, timezone,
// when they subscribed and were last seen, engagement, notifications received and the channels
// their user can be reached on. One definition: the API validates with these, db/queries/
// segments.ts compiles them to one parameterised SQL condition, the dashboard's rule builder
// edits them.
import { z } from "@hono/zod-openapi";
import { SEGMENT_MAX_CONDITIONS, SEGMENT_MAX_DEPTH, SEGMENT_MAX_LIST } from "../config";
import { CHANNEL_IDS } from "./channels";

const Text = z.string().min(1).max(200);
const Days = z.number().int().min(1).max(3650);
const TextList = z.array(Text).min(1).max(SEGMENT_MAX_LIST);
/** A subscriber property compared as text. */
export const TEXT_FIELDS = ["browser", "os", "country", "language", "timezone"] as const;

export const ConditionSchema = z
  .discriminatedUnion("field", [
    z.strictObject({ field: z.literal("tag"), operator: z.enum(["has", "has_not"]), value: Text }),
    z.strictObject({
      field: z.literal("attribute"),
      key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Must be 1 to 64 letters, digits, '_' or '-'."),
      operator: z.enum(["equals", "not_equals", "contains", "greater_than", "less_than", "exists", "not_exists"]),
      value: z.union([Text, z.number(), z.boolean()]).optional(),
    }),
    z.strictObject({ field: z.enum(TEXT_FIELDS), operator: z.enum(["is", "is_not"]), value: z.union([Text, TextList]) }),
    z.strictObject({ field: z.literal("subscribed"), operator: z.enum(["before", "after", "within_days", "more_than_days_ago"]), value: z.union([z.number().int().positive(), Days]) }),
    z.strictObject({ field: z.literal("last_seen"), operator: z.enum(["within_days", "more_than_days_ago"]), value: Days }),
    z.strictObject({ field: z.literal("engaged"), operator: z.enum(["clicked", "shown", "not_clicked"]), days: Days }),
    z.strictObject({ field: z.literal("received"), operator: z.enum(["received", "not_received"]), notification_id: z.string().min(1).max(64) }),
    z.strictObject({ field: z.literal("has_channel"), operator: z.enum(["has", "has_not"]), value: z.enum(CHANNEL_IDS) }),
  ])
  .refine((c) => c.field !== "attribute" || c.operator === "exists" || c.operator === "not_exists" || c.value !== undefined, { message: "Give a value to compare with.", path: ["value"] })
  .refine((c) => c.field !== "attribute" || !(c.operator === "greater_than" || c.operator === "less_than") || typeof c.value === "number", { message: "Greater and less compare numbers.", path: ["value"] })
  .openapi("SegmentCondition");
export type Condition = z.infer<typeof ConditionSchema>;

export interface Group {
  op: "and" | "or";
  rules: Array<Group | Condition>;
}
export type Rule = Group | Condition;
export const isGroup = (r: Rule): r is Group => "op" in r;

export const GroupSchema: z.ZodType<Group> = z.lazy(() =>
  z.strictObject({
    op: z.enum(["and", "or"]),
    rules: z.array(z.union([GroupSchema, ConditionSchema])).min(1, "An empty group matches nothing: add a condition or remove it."),
  }),
);

function measure(r: Rule, depth: number): { conditions: number; depth: number } {
  // May see input that failed its own checks: anything not a group counts as one condition.
  if (!r || typeof r !== "object" || !isGroup(r) || !Array.isArray(r.rules)) return { conditions: 1, depth };
  return r.rules.map((x) => measure(x, depth + 1)).reduce((a, b) => ({ conditions: a.conditions + b.conditions, depth: Math.max(a.depth, b.depth) }), { conditions: 0, depth });
}

/** The rules of a segment: one group, at most SEGMENT_MAX_DEPTH groups deep and SEGMENT_MAX_CONDITIONS conditions. */
export const SegmentRules = GroupSchema.superRefine((g, ctx) => {
  const m = measure(g, 1);
  if (m.depth > SEGMENT_MAX_DEPTH) ctx.addIssue({ code: "custom", message: `Groups may nest at most ${SEGMENT_MAX_DEPTH} deep.`, path: [] });
  if (m.conditions > SEGMENT_MAX_CONDITIONS) ctx.addIssue({ code: "custom", message: `At most ${SEGMENT_MAX_CONDITIONS} conditions.`, path: [] });
}).openapi("SegmentRules", { type: "object", example: { op: "and", rules: [{ field: "tag", operator: "has", value: "vip" }, { field: "country", operator: "is", value: ["FR", "BE"] }] } });

export const SegmentInput = z
  .strictObject({ name: z.string().trim().min(1).max(200), description: z.string().max(1000).nullable().optional(), rules: SegmentRules })
  .openapi("SegmentInput");
export type SegmentInput = z.infer<typeof SegmentInput>;

export interface SegmentView {
  id: string;
  name: string;
  description: string | null;
  rules: Group;
  estimated_count: number | null;
  estimated_at: number | null;
  created_at: number;
  updated_at: number;
}
