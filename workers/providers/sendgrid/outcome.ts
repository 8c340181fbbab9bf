// What to do after one SendGrid Mail Send call, from its answer
// (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors: the body of an error is
// { errors: [{ message, field, help }] }).
//
//   classifySendGridResult(result, attempt, { random?, now? }) → SendGridSendResult
//
//   2xx (202 Accepted)                   → sent; providerMessageId = the X-Message-Id header
//   400, an error on a recipient field   → gone: the address itself is unusable (invalid syntax);
//        (personalizations.N.to…)          the email is marked unreachable
//   400, an error on from / reply_to     → failed "sender_not_allowed", configProblem
//   400 otherwise                        → failed "bad_request"
//   401                                  → failed "credentials_rejected", configProblem (bad,
//                                          revoked or expired API key)
//   403 naming the from address or a     → failed "sender_not_allowed", configProblem (from_email
//       Sender Identity                    is not a verified sender of the account)
//   403 otherwise                        → failed "credentials_rejected", configProblem (the key
//                                          lacks the Mail Send permission, or the account is off)
//   413                                  → failed "payload_too_large"
//   429                                  → retry "rate_limited" at X-RateLimit-Reset (epoch
//                                          seconds), else Retry-After, else the default
//   5xx                                  → retry "server_error" after Retry-After, else backoff
//   timeout / network error              → retry "timeout" / "network_error", backoff
//   anything else                        → failed "http_<status>"
//
// `detail` carries SendGrid's own words (its first error message) for the integration test's
// answer; it never holds the request or the key. Pure: randomness and clock injectable.
import { backoffDelayS, retryAfterS } from "../../lib/backoff";
import type { ProviderSendResult } from "../types";
import type { ProviderHttpResult } from "../http";

export interface SendGridSendResult extends ProviderSendResult {
  detail?: string;
}

export interface ClassifyOptions {
  random?: () => number;
  now?: () => number;
}

interface SendGridError {
  message: string;
  field: string | null;
}

/** The errors SendGrid listed, or none when the body is not its error shape. */
export function sendGridErrors(text: string): SendGridError[] {
  try {
    const v = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(v?.errors)) return [];
    return v.errors
      .filter((e): e is Record<string, unknown> => !!e && typeof e === "object")
      .map((e) => ({ message: typeof e.message === "string" ? e.message : "", field: typeof e.field === "string" ? e.field : null }));
  } catch {
    return [];
  }
}

const DETAIL_MAX_CHARS = 300;
const isRecipientField = (f: string | null) => !!f && /^personalizations(\.\d+)?\.(to|cc|bcc)\b/.test(f);
const isSenderField = (f: string | null) => !!f && /^(from|reply_to)\b/.test(f);

export function classifySendGridResult(r: ProviderHttpResult, attempt: number, opts: ClassifyOptions = {}): SendGridSendResult {
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  if ("error" in r) return { outcome: { kind: "retry", reason: r.error, delayS: backoffDelayS(attempt, random) }, httpStatus: null, detail: r.message };
  const { status } = r;
  if (status >= 200 && status < 300) {
    const id = r.headers.get("x-message-id");
    return { outcome: { kind: "sent" }, httpStatus: status, ...(id ? { providerMessageId: id } : {}) };
  }
  const errors = sendGridErrors(r.body);
  const said = errors.map((e) => e.message).filter(Boolean).join(" ").slice(0, DETAIL_MAX_CHARS);
  const base = { httpStatus: status, ...(said ? { detail: said } : {}) };
  // The provider's words end the sentence; a period is added when they lack one.
  const words = said ? `: ${said}${/[.!?]$/.test(said) ? "" : "."}` : ".";

  if (status === 429) {
    const reset = Number(r.headers.get("x-ratelimit-reset"));
    const after = Number.isFinite(reset) && reset > 0 ? String(Math.ceil(reset - now() / 1000)) : r.headers.get("retry-after");
    return { ...base, outcome: { kind: "retry", reason: "rate_limited", delayS: retryAfterS(after, now()) } };
  }
  if (status >= 500 && status < 600) {
    const after = r.headers.get("retry-after");
    return { ...base, outcome: { kind: "retry", reason: "server_error", delayS: after ? retryAfterS(after, now()) : backoffDelayS(attempt, random) } };
  }
  if (status === 400) {
    if (errors.some((e) => isRecipientField(e.field))) return { ...base, outcome: { kind: "gone" } };
    if (errors.some((e) => isSenderField(e.field))) {
      return { ...base, outcome: { kind: "failed", reason: "sender_not_allowed", configProblem: `SendGrid refused the sender address (HTTP 400)${words}` } };
    }
    return { ...base, outcome: { kind: "failed", reason: "bad_request" } };
  }
  if (status === 401) {
    return { ...base, outcome: { kind: "failed", reason: "credentials_rejected", configProblem: `SendGrid refused the API key (HTTP 401)${words}` } };
  }
  if (status === 403) {
    if (errors.some((e) => isSenderField(e.field) || /sender identity|from address/i.test(e.message))) {
      return {
        ...base,
        outcome: { kind: "failed", reason: "sender_not_allowed", configProblem: `SendGrid does not allow the from address (HTTP 403)${words}` },
      };
    }
    return {
      ...base,
      outcome: { kind: "failed", reason: "credentials_rejected", configProblem: `SendGrid refused the API key for sending mail (HTTP 403)${words}` },
    };
  }
  if (status === 413) return { ...base, outcome: { kind: "failed", reason: "payload_too_large" } };
  return { ...base, outcome: { kind: "failed", reason: `http_${status}` } };
}
