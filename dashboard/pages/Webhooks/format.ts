// Small words and numbers the Webhooks page shows, from the Worker's config.
import { WEBHOOK_PREVIOUS_SECRET_GRACE_MS, WEBHOOK_RETRY_SCHEDULE_S } from "../../../workers/config";

export const WEBHOOK_MAX_ATTEMPTS_SHOWN = WEBHOOK_RETRY_SCHEDULE_S.length;
export const OVERLAP_HOURS = Math.round(WEBHOOK_PREVIOUS_SECRET_GRACE_MS / 3_600_000);

/** "5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h": the retry schedule in words. */
export function scheduleInWords(): string {
  const parts = WEBHOOK_RETRY_SCHEDULE_S.slice(1).map((s) => (s < 60 ? `${s} s` : s < 3600 ? `${s / 60} min` : `${s / 3600} h`));
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
