// What to do after one Resend send, from its answer (https://resend.com/docs/api-reference/errors:
// an error body is { statusCode, name, message }).
//
//   classifyResendResult(result, attempt, { random?, now? }) → ResendSendResult
//
//   2xx (200 { id })                           → sent; providerMessageId = id
//   400/422 validation_error about `to`         → gone: the address itself is unusable
//   400/422 validation_error about `from`       → failed "sender_not_allowed", configProblem
//   400/422 otherwise                           → failed "bad_request"
//   401 missing_api_key / restricted_api_key    → failed "credentials_rejected", configProblem
//   403 invalid_api_key                         → failed "credentials_rejected", configProblem
//   403 validation_error (domain not verified,  → failed "sender_not_allowed", configProblem
//       testing address only)
//   429 rate_limit_exceeded / daily_quota_…     → retry "rate_limited" after retry-after, else default
//   5xx                                         → retry "server_error" after retry-after, else backoff
//   timeout / network error                     → retry "timeout" / "network_error", backoff
//   anything else                               → failed "http_<status>"
// providerCode is Resend's error name. `detail` carries its message for the integration test's
// answer. Pure: randomness and clock injectable.
import { backoffDelayS, retryAfterS } from "../../lib/backoff";
import type { ProviderSendResult } from "../types";
import type { ProviderHttpResult } from "../http";

export interface ResendSendResult extends ProviderSendResult {
  detail?: string;
}

export interface ClassifyOptions {
  random?: () => number;
  now?: () => number;
}

const DETAIL_MAX_CHARS = 300;

function parseBody(text: string): { id?: string; name?: string; message?: string } {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (!o || typeof o !== "object") return {};
    return {
      id: typeof o.id === "string" ? o.id : undefined,
      name: typeof o.name === "string" ? o.name : undefined,
      message: typeof o.message === "string" ? o.message.slice(0, DETAIL_MAX_CHARS) : undefined,
    };
  } catch {
    return {};
  }
}

export function classifyResendResult(r: ProviderHttpResult, attempt: number, opts: ClassifyOptions = {}): ResendSendResult {
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  if ("error" in r) return { outcome: { kind: "retry", reason: r.error, delayS: backoffDelayS(attempt, random) }, httpStatus: null, detail: r.message };
  const { status } = r;
  const body = parseBody(r.body);
  if (status >= 200 && status < 300) return { outcome: { kind: "sent" }, httpStatus: status, ...(body.id ? { providerMessageId: body.id } : {}) };

  const base = { httpStatus: status, ...(body.name ? { providerCode: body.name } : {}), ...(body.message ? { detail: body.message } : {}) };
  const said = body.message?.trim();
  const words = `${body.name ? `, ${body.name}` : ""})${said ? `: ${said}${/[.!?]$/.test(said) ? "" : "."}` : "."}`;
  const after = r.headers.get("retry-after");
  if (status === 429) return { ...base, outcome: { kind: "retry", reason: "rate_limited", delayS: retryAfterS(after, now()) } };
  if (status >= 500 && status < 600) {
    return { ...base, outcome: { kind: "retry", reason: "server_error", delayS: after ? retryAfterS(after, now()) : backoffDelayS(attempt, random) } };
  }
  // Resend names the field in backticks: "Invalid `to` field. The email address needs to follow …".
  const about = (field: string) => (body.message ?? "").includes(`\`${field}\``);
  if (status === 400 || status === 422) {
    if (body.name === "validation_error" && about("to")) return { ...base, outcome: { kind: "gone" } };
    if (about("from")) return { ...base, outcome: { kind: "failed", reason: "sender_not_allowed", configProblem: `Resend refused the sender address (HTTP ${status}${words}` } };
    return { ...base, outcome: { kind: "failed", reason: "bad_request" } };
  }
  if (status === 401 || (status === 403 && body.name !== "validation_error")) {
    return { ...base, outcome: { kind: "failed", reason: "credentials_rejected", configProblem: `Resend refused the API key (HTTP ${status}${words}` } };
  }
  if (status === 403) {
    return { ...base, outcome: { kind: "failed", reason: "sender_not_allowed", configProblem: `Resend does not allow this sender or recipient (HTTP 403${words}` } };
  }
  return { ...base, outcome: { kind: "failed", reason: `http_${status}` } };
}
