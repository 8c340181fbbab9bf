// What to do after one push attempt, from the push service's answer (RFC 8030 §5–6,
// RFC 8292 §5, and the status codes FCM, Mozilla autopush, Apple and WNS document).
//
//   classifyPushResult(result, attempt, { random?, now? }) → PushOutcome
//
//   2xx (201 Created, 202, 200)    → sent
//   404 / 410                      → gone: the subscription expired or was revoked; prune it
//   413                            → failed "payload_too_large"
//   429                            → retry "rate_limited" after Retry-After (seconds or HTTP-date,
//                                    RFC 9110 §10.2.3), default/cap from config
//   5xx                            → retry "server_error", Retry-After if given, else exponential
//                                    backoff + full jitter
//   timeout / network error        → retry "timeout" / "network_error", same backoff
//   401 / 403                      → failed "vapid_rejected", vapidProblem: the site's keys or
//                                    JWT are wrong (RFC 8292 §5); the subscriber is kept
//   400                            → failed "bad_request", vapidProblem (malformed JWT/headers)
//   anything else                  → failed "http_<status>"
//
// `attempt` is 1 for the first try. Reason strings are stable: they land in the database
// and in metrics labels.

import {
  PUSH_RETRY_AFTER_DEFAULT_S,
  PUSH_RETRY_AFTER_MAX_S,
  PUSH_RETRY_BASE_DELAY_S,
  PUSH_RETRY_MAX_DELAY_S,
  PUSH_RETRY_MIN_DELAY_S,
} from "../config";
import type { PushResult } from "./request";

export type PushOutcome =
  | { kind: "sent" }
  | { kind: "gone"; status: number }
  | { kind: "retry"; reason: string; delayS: number }
  | { kind: "failed"; reason: string; status?: number; vapidProblem?: boolean };

export interface ClassifyOptions {
  /** Uniform [0, 1); default Math.random. */
  random?: () => number;
  /** Clock for HTTP-date Retry-After, unix ms; default Date.now. */
  now?: () => number;
}

/** Full-jitter exponential backoff in whole seconds: U(0, min(MAX, BASE·2^(attempt−1))), floored at MIN. */
export function backoffDelayS(attempt: number, random: () => number = Math.random): number {
  const exp = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = Math.min(PUSH_RETRY_MAX_DELAY_S, PUSH_RETRY_BASE_DELAY_S * 2 ** Math.min(exp, 30));
  return Math.max(PUSH_RETRY_MIN_DELAY_S, Math.ceil(random() * ceiling));
}

/** Retry-After (RFC 9110 §10.2.3) in whole seconds, clamped to [MIN, PUSH_RETRY_AFTER_MAX_S];
 *  absent or unparsable → PUSH_RETRY_AFTER_DEFAULT_S. */
export function retryAfterS(value: string | null, nowMs: number): number {
  let s = PUSH_RETRY_AFTER_DEFAULT_S;
  const v = value?.trim();
  if (v) {
    if (/^\d+$/.test(v)) s = Number(v);
    else if (/^[A-Za-z]{3,9}, /.test(v)) {
      // HTTP-date starts with a day name (RFC 9110 §5.6.7); Date.parse alone takes "1.5" as a date.
      const at = Date.parse(v);
      if (!Number.isNaN(at)) s = Math.ceil((at - nowMs) / 1000);
    }
  }
  return Math.min(PUSH_RETRY_AFTER_MAX_S, Math.max(PUSH_RETRY_MIN_DELAY_S, s));
}

export function classifyPushResult(r: PushResult, attempt: number, opts: ClassifyOptions = {}): PushOutcome {
  const random = opts.random ?? Math.random;
  if ("error" in r) return { kind: "retry", reason: r.error, delayS: backoffDelayS(attempt, random) };
  const { status } = r;
  if (status >= 200 && status < 300) return { kind: "sent" };
  switch (status) {
    case 404:
    case 410:
      return { kind: "gone", status };
    case 413:
      return { kind: "failed", reason: "payload_too_large", status };
    case 429:
      return {
        kind: "retry",
        reason: "rate_limited",
        delayS: retryAfterS(r.headers.get("retry-after"), (opts.now ?? Date.now)()),
      };
    case 400:
      return { kind: "failed", reason: "bad_request", status, vapidProblem: true };
    case 401:
    case 403:
      return { kind: "failed", reason: "vapid_rejected", status, vapidProblem: true };
  }
  if (status >= 500 && status < 600) {
    // A 503 may say when to come back (RFC 9110 §15.6.4); otherwise back off.
    const after = r.headers.get("retry-after");
    const delayS = after ? retryAfterS(after, (opts.now ?? Date.now)()) : backoffDelayS(attempt, random);
    return { kind: "retry", reason: "server_error", delayS };
  }
  return { kind: "failed", reason: `http_${status}`, status };
}
