// Every 15 minutes: the due RSS / Atom / JSON feeds are polled and their new items sent
// (services/feeds says why a cron fired twice polls each feed once and sends each item once).
import type { Deps } from "../services/deps";
import { type PollOutcome, pollDueFeeds } from "../services/feeds";

export const runFeedPoll = (deps: Deps): Promise<PollOutcome[]> => pollDueFeeds(deps);
