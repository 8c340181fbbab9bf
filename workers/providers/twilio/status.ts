// What a Twilio status callback says about a message, as Herald's delivery statuses
// (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status):
//
//   MessageStatus delivered, read (WhatsApp)   → delivered
//   undelivered                                → undelivered, ErrorCode as providerCode
//   failed                                     → failed, ErrorCode as providerCode
//   …either with an ErrorCode saying the number itself is unusable
//     30005 unknown handset, 30006 landline or unreachable carrier,
//     21211 invalid, 21614 not a mobile, 21610 unsubscribed (STOP)  → addressUnusable: mark it
//   queued, accepted, scheduled, sending, sent, receiving, received, canceled → nothing to record
//
// 30003 ("unreachable destination handset") is not in the unusable list on purpose: Twilio
// documents it as a phone switched off or out of coverage — a state that passes — and marking
// the number unusable would stop every later message to a working phone.
import type { ProviderStatus } from "../../services/sending/status";

export const UNUSABLE_NUMBER_CODES = new Set(["30005", "30006", "21211", "21614", "21610"]);

/** Sentences for the error codes a person is most likely to meet (Twilio's error dictionary). */
const CODE_DETAIL: Record<string, string> = {
  "30003": "The phone was unreachable (switched off or out of coverage).",
  "30004": "The message was blocked: the recipient blocked the sender or the number is on a block list.",
  "30005": "The number is unknown to its carrier: it may no longer exist.",
  "30006": "The number is a landline or its carrier is unreachable.",
  "30007": "The carrier filtered the message (spam or content rules).",
  "30008": "Twilio reports an unknown error from the carrier.",
  "21610": "The recipient unsubscribed from the sender (replied STOP).",
  "63016": "WhatsApp allows only approved templates outside the 24-hour window after the user's last message: send a template (ContentSid).",
};

export interface TwilioStatusUpdate {
  providerMessageId: string;
  accountSid: string;
  status: ProviderStatus;
  providerCode?: string;
  detail?: string;
  addressUnusable?: boolean;
}

/** The update a callback's form parameters call for, or null when the status needs none. */
export function twilioStatusUpdate(params: URLSearchParams): TwilioStatusUpdate | null {
  const sid = params.get("MessageSid") ?? params.get("SmsSid");
  const accountSid = params.get("AccountSid") ?? "";
  const raw = (params.get("MessageStatus") ?? params.get("SmsStatus") ?? "").toLowerCase();
  if (!sid) return null;
  const code = params.get("ErrorCode")?.trim() || undefined;
  let status: ProviderStatus;
  if (raw === "delivered" || raw === "read") status = "delivered";
  else if (raw === "undelivered" || raw === "failed") status = raw;
  else return null;
  const detail = code ? (CODE_DETAIL[code] ?? `Twilio error ${code}.`) : undefined;
  return {
    providerMessageId: sid,
    accountSid,
    status,
    ...(code ? { providerCode: code } : {}),
    ...(detail ? { detail } : {}),
    ...(status !== "delivered" && code && UNUSABLE_NUMBER_CODES.has(code) ? { addressUnusable: true } : {}),
  };
}
