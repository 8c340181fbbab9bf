// When a failed delivery is tried again, and when an endpoint has failed long enough to be
// disabled. The schedule is Svix's (config.ts WEBHOOK_RETRY_SCHEDULE_S): attempt n runs
// WEBHOOK_RETRY_SCHEDULE_S[n-1] seconds after attempt n-1 failed, 8 attempts in all. Only a
// 2xx answer counts as delivered: anything else — 3xx after redirects, 4xx including 410 Gone
// (Svix does not treat it specially either), 5xx, a timeout, a refused connection — is retried
// on schedule. Pure: the clock is an argument.
import { WEBHOOK_DISABLE_AFTER_FAILING_MS, WEBHOOK_RETRY_SCHEDULE_S } from "../../config";

export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_SCHEDULE_S.length;

export const isDelivered = (status: number) => status >= 200 && status < 300;

/** The attempt after a failed `attempt` (1-based), or null when that was the last. */
export function nextAttempt(attempt: number, now: number): { attempt: number; delayS: number; dueAt: number } | null {
  if (attempt >= WEBHOOK_MAX_ATTEMPTS) return null;
  const delayS = WEBHOOK_RETRY_SCHEDULE_S[attempt]!;
  return { attempt: attempt + 1, delayS, dueAt: now + delayS * 1000 };
}

/** The endpoint is disabled on a failure if it has been failing since this time or earlier. */
export const disableThreshold = (now: number) => now - WEBHOOK_DISABLE_AFTER_FAILING_MS;

const days = (ms: number) => `${Math.round(ms / (24 * 3600 * 1000))} days`;

/** What the endpoint shows once Herald disabled it. */
export function disabledReason(now: number, lastFailure: string): string {
  return `Herald disabled this endpoint on ${new Date(now).toISOString().slice(0, 16).replace("T", " ")} UTC because every delivery attempt failed for ${days(WEBHOOK_DISABLE_AFTER_FAILING_MS)}. The last attempt: ${lastFailure} Fix the receiver, then enable the endpoint again.`;
}
