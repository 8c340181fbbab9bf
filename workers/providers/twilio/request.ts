// One Twilio Messages API call (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
//
//   POST {origin}/2010-04-01/Accounts/{AccountSid}/Messages.json
//   Authorization: Basic base64(AccountSid:AuthToken | ApiKeySid:ApiKeySecret)
//   Content-Type: application/x-www-form-urlencoded
//   To, From | MessagingServiceSid, Body, StatusCallback          (SMS)
//   To=whatsapp:+E164, From=whatsapp:+E164 | MessagingServiceSid,
//   Body (inside the 24 h session) | ContentSid + ContentVariables (an approved template)
//
//   buildTwilioRequest(args) → { ok: true, url, init } | { ok: false, outcome }   pure
//
// StatusCallback is asked for only when the integration has the auth token: Twilio signs
// callbacks with it (even for API-key sends), so without it they could not be verified.
import type { SendOutcome } from "../../channels/types";
import { TWILIO_BODY_MAX_CHARS } from "../../config";
import type { SmsMessage, WhatsAppMessage } from "../types";
import { type TwilioCredentials, type TwilioSettings, twilioBasicAuth } from "./credentials";

export const TWILIO_API_ORIGIN = "https://api.twilio.com";

export interface TwilioRequestArgs {
  /** TWILIO_API_ORIGIN, or its local stand-in (ctx.origin). */
  origin: string;
  credentials: TwilioCredentials;
  settings: TwilioSettings;
  channel: "sms" | "whatsapp";
  message: SmsMessage | WhatsAppMessage;
  callbackUrl?: string;
}

export type TwilioRequest =
  | { ok: true; url: string; init: { method: "POST"; headers: Record<string, string>; body: string } }
  /** Nothing was sent: the integration cannot send this message as configured. */
  | { ok: false; outcome: Extract<SendOutcome, { kind: "failed" }> };

export function buildTwilioRequest(args: TwilioRequestArgs): TwilioRequest {
  const { settings, channel, message } = args;
  const form = new URLSearchParams();
  if (channel === "whatsapp") {
    const wa = message as WhatsAppMessage;
    form.set("To", `whatsapp:${wa.to}`);
    if (settings.whatsapp_from) form.set("From", `whatsapp:${settings.whatsapp_from}`);
    else if (settings.messaging_service_sid) form.set("MessagingServiceSid", settings.messaging_service_sid);
    else return configProblem("The Twilio integration has no WhatsApp sender: set whatsapp_from (or a messaging_service_sid with a WhatsApp sender).");
    if (wa.contentSid) {
      form.set("ContentSid", wa.contentSid);
      if (wa.contentVariables && Object.keys(wa.contentVariables).length) form.set("ContentVariables", JSON.stringify(wa.contentVariables));
    } else if (wa.text) {
      form.set("Body", wa.text);
    } else {
      return { ok: false, outcome: { kind: "failed", reason: "no_content" } };
    }
  } else {
    const sms = message as SmsMessage;
    form.set("To", sms.to);
    // A Messaging Service picks the best sender itself (Twilio prefers it when both are given).
    if (settings.messaging_service_sid) form.set("MessagingServiceSid", settings.messaging_service_sid);
    else if (settings.from) form.set("From", settings.from);
    else return configProblem("The Twilio integration has no SMS sender: set from or messaging_service_sid.");
    if (!sms.text) return { ok: false, outcome: { kind: "failed", reason: "no_content" } };
    form.set("Body", sms.text);
  }
  // Twilio would answer 21617; saying it here spares the call and names the reason.
  if ((form.get("Body") ?? "").length > TWILIO_BODY_MAX_CHARS) return { ok: false, outcome: { kind: "failed", reason: "payload_too_large" } };
  if (args.callbackUrl && args.credentials.auth_token) form.set("StatusCallback", args.callbackUrl);

  return {
    ok: true,
    url: `${args.origin}/2010-04-01/Accounts/${settings.account_sid}/Messages.json`,
    init: {
      method: "POST",
      headers: {
        authorization: twilioBasicAuth(args.credentials, settings),
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: form.toString(),
    },
  };
}

const configProblem = (problem: string): TwilioRequest => ({
  ok: false,
  outcome: { kind: "failed", reason: "sender_not_allowed", configProblem: problem },
});

