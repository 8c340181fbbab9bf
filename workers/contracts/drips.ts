// Welcome drip campaigns (issue #10 §4): steps a new web push subscriber receives at their
// subscription time plus each step's delay. One definition: the API validates with these,
// services/drips runs them, the dashboard imports the types.
import { z } from "@hono/zod-openapi";
import { DRIP_MAX_DELAY_MINUTES, DRIP_MAX_STEPS } from "../config";
import { CONTENT_FIELDS } from "./content";

export const DRIP_STATUSES = ["draft", "active", "paused"] as const;
export type DripStatus = (typeof DRIP_STATUSES)[number];

/** What a step says: the web push content of a notification (title, body, url, icon, image…). */
const StepContent = z.strictObject(CONTENT_FIELDS).openapi("DripStepContent");

export const DripStepInput = z
  .strictObject({
    /** Keep a step's id when editing it: subscribers who got it do not get it again. */
    id: z.string().regex(/^[a-z0-9]{1,16}$/).optional(),
    delay_minutes: z.number().int().min(0).max(DRIP_MAX_DELAY_MINUTES).openapi({ description: "After the subscription (not after the previous step)", example: 1440 }),
    content: StepContent,
  })
  .openapi("DripStepInput");

export const DripInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    steps: z
      .array(DripStepInput)
      .min(1)
      .max(DRIP_MAX_STEPS)
      .refine((s) => s.every((step, i) => i === 0 || step.delay_minutes >= s[i - 1]!.delay_minutes), { message: "Steps must be in order of their delay." }),
  })
  .openapi("DripInput", {
    example: { name: "Welcome", steps: [{ delay_minutes: 0, content: { title: "Welcome!" } }, { delay_minutes: 1440, content: { title: "Our best sellers" } }] },
  });
export type DripInput = z.infer<typeof DripInput>;

export interface DripStep {
  id: string;
  delay_minutes: number;
  content: z.infer<typeof StepContent>;
}

/** One step's funnel: subscribers who reached it, and what its sends came to. */
export interface StepFunnel {
  step_id: string;
  reached: number;
  sent: number;
  shown: number;
  clicked: number;
}

export interface DripView {
  id: string;
  name: string;
  status: DripStatus;
  steps: DripStep[];
  entered: number;
  completed: number;
  left: number;
  funnel: StepFunnel[];
  created_at: number;
  updated_at: number;
}
