// Every minute: digest windows that ended go out as one message per user and channel
// (services/preferences/digests.ts says why a run twice sends nothing twice).
import { DIGEST_FLUSH_MAX_PER_RUN } from "../config";
import type { Deps } from "../services/deps";
import { flushDigests, type FlushResult } from "../services/preferences/digests";

export const runDigestFlush = (deps: Deps): Promise<FlushResult> => flushDigests(deps, DIGEST_FLUSH_MAX_PER_RUN);
