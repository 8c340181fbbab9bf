// A/B tests of a campaign (issue #10 §7): 2–5 variants of what it says, sent to a test share of
// the audience split evenly; after the window the best click-through goes to the rest (auto),
// or the marketer picks. One definition: the API validates with these, services/ab-tests runs
// them, the dashboard imports the types.
import { z } from "@hono/zod-openapi";
import { AB_MAX_VARIANTS, AB_WINDOW_MAX_MINUTES, AB_WINDOW_MIN_MINUTES } from "../config";
import { CONTENT_FIELDS } from "./content";

/** What a variant changes: its own title, and optionally body, image and link. */
export const VariantSchema = z
  .strictObject({ title: CONTENT_FIELDS.title, body: CONTENT_FIELDS.body, image: CONTENT_FIELDS.image, url: CONTENT_FIELDS.url })
  .openapi("AbVariant");
export type Variant = z.infer<typeof VariantSchema>;

export const AbTestSchema = z
  .strictObject({
    variants: z.array(VariantSchema).min(2).max(AB_MAX_VARIANTS),
    /** The share of the audience the test goes to, split evenly between the variants. */
    test_share: z.number().min(0.02).max(0.5),
    window_minutes: z.number().int().min(AB_WINDOW_MIN_MINUTES).max(AB_WINDOW_MAX_MINUTES),
    /** auto: the best click-through goes to the rest when the window ends; manual: the marketer picks. */
    pick: z.enum(["auto", "manual"]).optional(),
  })
  .openapi("AbTest", { example: { variants: [{ title: "30% off today" }, { title: "Your weekend deal is here" }], test_share: 0.2, window_minutes: 120 } });
export type AbTest = z.infer<typeof AbTestSchema>;

/** An A/B test as stored on its campaign: the request, then its phase and winner. */
export interface StoredAbTest extends AbTest {
  phase?: "testing" | "decided";
  test_ends_at?: number;
  winner?: number;
  /** Whether the winner's lead was beyond the noise (95 %) when it was picked. */
  confident?: boolean;
}

export interface VariantResult {
  variant: number;
  notification_id: string;
  sent: number;
  impressions: number;
  clicks: number;
  /** clicks / impressions (sent when no impressions were reported) */
  ctr: number;
  /** The 95 % interval of ctr (Wilson). */
  ctr_low: number;
  ctr_high: number;
}
