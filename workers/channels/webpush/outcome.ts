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

import { backoffDelayS, retryAfterS } from "../../lib/backoff";
import type { FailureReason } from "../../contracts/failure-reasons";
import type { PushResult } from "./request";

export type PushOutcome =
  | { kind: "sent" }
  | { kind: "gone"; status: number }
  | { kind: "retry"; reason: FailureReason; delayS: number }
  | { kind: "failed"; reason: FailureReason; status?: number; vapidProblem?: boolean };

export interface ClassifyOptions {
  /** Uniform [0, 1); default Math.random. */
  random?: () => number;
  /** Clock for HTTP-date Retry-After, unix ms; default Date.now. */
  now?: () => number;
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
