// When to try a provider again: full-jitter exponential backoff, and Retry-After as HTTP
// defines it. Shared by every channel's outcome table and the queue consumers; pure, with
// injectable randomness and clock.
import { RETRY_AFTER_DEFAULT_S, RETRY_AFTER_MAX_S, RETRY_BASE_DELAY_S, RETRY_MAX_DELAY_S, RETRY_MIN_DELAY_S } from "../config";

/** Full-jitter exponential backoff in whole seconds: U(0, min(MAX, BASE·2^(attempt−1))), floored at MIN. */
export function backoffDelayS(attempt: number, random: () => number = Math.random): number {
  const exp = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = Math.min(RETRY_MAX_DELAY_S, RETRY_BASE_DELAY_S * 2 ** Math.min(exp, 30));
  return Math.max(RETRY_MIN_DELAY_S, Math.ceil(random() * ceiling));
}

/** Retry-After (RFC 9110 §10.2.3) in whole seconds, clamped to [MIN, RETRY_AFTER_MAX_S];
 *  absent or unparsable → RETRY_AFTER_DEFAULT_S. */
export function retryAfterS(value: string | null, nowMs: number): number {
  let s = RETRY_AFTER_DEFAULT_S;
  const v = value?.trim();
  if (v) {
    if (/^\d+$/.test(v)) s = Number(v);
    else if (/^[A-Za-z]{3,9}, /.test(v)) {
      // HTTP-date starts with a day name (RFC 9110 §5.6.7); Date.parse alone takes "1.5" as a date.
      const at = Date.parse(v);
      if (!Number.isNaN(at)) s = Math.ceil((at - nowMs) / 1000);
    }
  }
  return Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_MIN_DELAY_S, s));
}
