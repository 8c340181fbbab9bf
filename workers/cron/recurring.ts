// Every minute, before the scheduled sends: due runs of recurring series become scheduled
// campaigns (services/recurring says why a run fired twice is created once), which the
// scheduled-sends job then starts in the same cron run.
import type { Deps } from "../services/deps";
import { runDueSeries, type SchedulerResult } from "../services/recurring";

export const runRecurring = (deps: Deps): Promise<SchedulerResult> => runDueSeries(deps);
