// Every minute: drip steps that fell due go out, one notification per (drip, step) for the
// subscribers due (services/drips says why a step is never sent twice).
import type { Deps } from "../services/deps";
import { type DripRunResult, runDueSteps } from "../services/drips";

export const runDrips = (deps: Deps): Promise<DripRunResult> => runDueSteps(deps);
