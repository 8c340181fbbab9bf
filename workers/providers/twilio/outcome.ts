// What to do after one Twilio Messages API call, from its answer
// (https://www.twilio.com/docs/api/errors: the JSON body is { code, message, more_info, status }).
//
//   classifyTwilioResult(result, attempt, { random?, now? }) → ProviderSendResult
//
//   2xx                                → sent; providerMessageId = the body's sid (SM…/MM…)
//   code 21211 invalid To              → gone: the number cannot receive messages; mark it
//   code 21614 To is not a mobile        unusable (providerCode kept)
//   code 21610 To replied STOP
//   code 63016 WhatsApp outside the    → failed "whatsapp_template_required": free text is not
//              24 h window               allowed, only an approved template (ContentSid)
//   code 20003 / HTTP 401              → failed "credentials_rejected", configProblem
//   code 21606 / 21659 / 21212         → failed "sender_not_allowed", configProblem: From is not
//              From not the account's    a number of the account, not valid, or not allowed
//   code 21408 region not enabled      → failed "sender_not_allowed", configProblem (the
//                                        account's geo permissions)
//   429 / code 20429                   → retry "rate_limited" after Retry-After, else backoff
//   5xx                                → retry "server_error" after Retry-After, else backoff
//   timeout / network error            → retry "timeout" / "network_error", backoff
//   other 4xx                          → failed "http_<status>", providerCode = Twilio's code
//   anything else                      → failed "http_<status>"
//
// Twilio's 429 carries no documented Retry-After, so backoff (not the 60 s default) applies
// unless one is sent. `detail` carries Twilio's own message for the integration test's answer
// (as SendGrid's and Resend's modules do); it never holds the request or the credentials.
// Pure: randomness and clock injectable.
import { backoffDelayS, retryAfterS } from "../../lib/backoff";
import type { ProviderSendResult } from "../types";
import type { ProviderHttpResult } from "../http";

export interface TwilioSendResult extends ProviderSendResult {
  detail?: string;
}

export interface ClassifyOptions {
  random?: () => number;
  now?: () => number;
}

const GONE_CODES = new Set([21211, 21614, 21610]);
const SENDER_CODES = new Set([21606, 21659, 21212, 21408]);

/** Twilio's error body, or its created message; anything unparsable is an empty object. */
function parseBody(text: string): { code?: number; sid?: string; message?: string } {
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== "object") return {};
    const o = v as Record<string, unknown>;
    return {
      code: typeof o.code === "number" ? o.code : typeof o.code === "string" && /^\d+$/.test(o.code) ? Number(o.code) : undefined,
      sid: typeof o.sid === "string" ? o.sid : undefined,
      message: typeof o.message === "string" ? o.message : undefined,
    };
  } catch {
    return {};
  }
}

export function classifyTwilioResult(r: ProviderHttpResult, attempt: number, opts: ClassifyOptions = {}): TwilioSendResult {
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  if ("error" in r) return { outcome: { kind: "retry", reason: r.error, delayS: backoffDelayS(attempt, random) }, httpStatus: null, detail: r.message };
  const { status } = r;
  const body = parseBody(r.body);
  if (status >= 200 && status < 300) {
    return { outcome: { kind: "sent" }, httpStatus: status, ...(body.sid ? { providerMessageId: body.sid } : {}) };
  }
  const code = body.code;
  const base = { httpStatus: status, ...(code !== undefined ? { providerCode: String(code) } : {}), ...(body.message ? { detail: body.message.slice(0, 300) } : {}) };
  const retryDelay = () => {
    const after = r.headers.get("retry-after");
    return after ? retryAfterS(after, now()) : backoffDelayS(attempt, random);
  };

  if (status === 429 || code === 20429) return { ...base, outcome: { kind: "retry", reason: "rate_limited", delayS: retryDelay() } };
  if (status >= 500 && status < 600) return { ...base, outcome: { kind: "retry", reason: "server_error", delayS: retryDelay() } };
  if (code !== undefined && GONE_CODES.has(code)) return { ...base, outcome: { kind: "gone" } };
  if (code === 63016) return { ...base, outcome: { kind: "failed", reason: "whatsapp_template_required" } };
  if (code === 20003 || status === 401) {
    return {
      ...base,
      outcome: {
        kind: "failed",
        reason: "credentials_rejected",
        configProblem: "Twilio rejected the integration's credentials (error 20003): check the account SID and the auth token or API key.",
      },
    };
  }
  if (code !== undefined && SENDER_CODES.has(code)) {
    return {
      ...base,
      outcome: { kind: "failed", reason: "sender_not_allowed", configProblem: senderProblem(code) },
    };
  }
  return { ...base, outcome: { kind: "failed", reason: `http_${status}` } };
}

function senderProblem(code: number): string {
  switch (code) {
    case 21408:
      return "Twilio does not allow the account to send to this country (error 21408): enable it in the account's geo permissions.";
    case 21212:
      return "Twilio says the sender number is not a valid phone number (error 21212): check the integration's from number.";
    default:
      return `Twilio does not allow the integration's sender for this message (error ${code}): the from number must be a number of the account that can send to this destination.`;
  }
}
