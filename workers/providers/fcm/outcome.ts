// What to do after one FCM HTTP v1 send, from its answer
// (https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode; error bodies are
// { error: { code, message, status, details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
//   errorCode }, { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field, description }] }] } }).
//
//   classifyFcmResult(result, attempt, { random?, now? }) → ProviderSendResult
//
//   200                                  → sent; providerMessageId = name ("projects/p/messages/…")
//   UNREGISTERED (404)                   → gone: the app was uninstalled or the token expired
//                                          (a 404 without it — wrong project — is http_404)
//   INVALID_ARGUMENT about the token     → gone: not a registration token (a field violation on
//     (field message.token)                message.token, or the message says so); providerCode
//                                          INVALID_ARGUMENT
//   INVALID_ARGUMENT otherwise (400)     → failed "bad_request" (the message itself is wrong)
//   SENDER_ID_MISMATCH (403)             → failed "sender_not_allowed", configProblem: the token
//                                          belongs to another Firebase project
//   THIRD_PARTY_AUTH_ERROR (401)         → failed "credentials_rejected", configProblem: the
//                                          project's APNs or web push credentials are refused
//   other 401 / 403                      → failed "credentials_rejected", configProblem (the
//                                          caller drops the cached token on 401 and retries once
//                                          before this is final)
//   QUOTA_EXCEEDED (429)                 → retry "rate_limited" after Retry-After, else backoff
//   UNAVAILABLE (503) / INTERNAL (500)   → retry "server_error" after Retry-After, else backoff
//     / other 5xx
//   timeout / network error              → retry "timeout" / "network_error", backoff
//   anything else                        → failed "http_<status>"
//
// providerCode is FCM's errorCode when given, else its status ("NOT_FOUND"). `detail` carries
// FCM's own message for the integration test's answer (never the request or the token). Pure.
import { backoffDelayS, retryAfterS } from "../../lib/backoff";
import type { ProviderHttpResult } from "../http";
import type { ProviderSendResult } from "../types";

export interface FcmSendResult extends ProviderSendResult {
  detail?: string;
}

export interface ClassifyOptions {
  random?: () => number;
  now?: () => number;
}

interface FcmErrorInfo {
  errorCode?: string;
  status?: string;
  message?: string;
  tokenViolation: boolean;
  name?: string;
}

export function parseFcmBody(text: string): FcmErrorInfo {
  const info: FcmErrorInfo = { tokenViolation: false };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return info;
  }
  if (!v || typeof v !== "object") return info;
  const o = v as Record<string, unknown>;
  if (typeof o.name === "string") info.name = o.name;
  const e = o.error;
  if (!e || typeof e !== "object") return info;
  const err = e as Record<string, unknown>;
  if (typeof err.status === "string") info.status = err.status;
  if (typeof err.message === "string") info.message = err.message;
  for (const d of Array.isArray(err.details) ? err.details : []) {
    if (!d || typeof d !== "object") continue;
    const detail = d as Record<string, unknown>;
    const type = String(detail["@type"] ?? "");
    if (type.endsWith("google.firebase.fcm.v1.FcmError") && typeof detail.errorCode === "string") info.errorCode = detail.errorCode;
    if (type.endsWith("google.rpc.BadRequest") && Array.isArray(detail.fieldViolations)) {
      info.tokenViolation ||= detail.fieldViolations.some((f) => !!f && typeof f === "object" && (f as { field?: unknown }).field === "message.token");
    }
  }
  return info;
}

export function classifyFcmResult(r: ProviderHttpResult, attempt: number, opts: ClassifyOptions = {}): FcmSendResult {
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  if ("error" in r) return { outcome: { kind: "retry", reason: r.error, delayS: backoffDelayS(attempt, random) }, httpStatus: null, detail: r.message };
  const { status } = r;
  const info = parseFcmBody(r.body);
  if (status >= 200 && status < 300) return { outcome: { kind: "sent" }, httpStatus: status, ...(info.name ? { providerMessageId: info.name } : {}) };

  const code = info.errorCode ?? info.status;
  const base = { httpStatus: status, ...(code ? { providerCode: code } : {}), ...(info.message ? { detail: info.message.slice(0, 300) } : {}) };
  const retryDelay = () => {
    const after = r.headers.get("retry-after");
    return after ? retryAfterS(after, now()) : backoffDelayS(attempt, random);
  };

  // Only FCM's own UNREGISTERED prunes: a bare 404 (a wrong project or path) must not delete
  // every token of a site.
  if (info.errorCode === "UNREGISTERED") return { ...base, outcome: { kind: "gone" } };
  if (info.errorCode === "QUOTA_EXCEEDED" || status === 429) return { ...base, outcome: { kind: "retry", reason: "rate_limited", delayS: retryDelay() } };
  if (info.errorCode === "UNAVAILABLE" || info.errorCode === "INTERNAL" || (status >= 500 && status < 600)) {
    return { ...base, outcome: { kind: "retry", reason: "server_error", delayS: retryDelay() } };
  }
  if (info.errorCode === "SENDER_ID_MISMATCH") {
    return {
      ...base,
      outcome: {
        kind: "failed",
        reason: "sender_not_allowed",
        configProblem: "FCM says a device token belongs to another Firebase project (SENDER_ID_MISMATCH): the app must register with the project of the integration's service account.",
      },
    };
  }
  if (info.errorCode === "THIRD_PARTY_AUTH_ERROR") {
    return {
      ...base,
      outcome: {
        kind: "failed",
        reason: "credentials_rejected",
        configProblem: "FCM could not deliver through Apple or the web push service (THIRD_PARTY_AUTH_ERROR): check the APNs key or web push certificate in the Firebase project's Cloud Messaging settings.",
      },
    };
  }
  if (status === 401 || status === 403) {
    return {
      ...base,
      outcome: {
        kind: "failed",
        reason: "credentials_rejected",
        configProblem: `FCM refused the service account (HTTP ${status}${code ? ` ${code}` : ""}): it needs the Firebase Cloud Messaging API enabled and permission to send in its project.`,
      },
    };
  }
  if (info.errorCode === "INVALID_ARGUMENT" || status === 400) {
    const aboutToken = info.tokenViolation || /registration token/i.test(info.message ?? "");
    return aboutToken ? { ...base, outcome: { kind: "gone" } } : { ...base, outcome: { kind: "failed", reason: "bad_request" } };
  }
  return { ...base, outcome: { kind: "failed", reason: `http_${status}` } };
}
