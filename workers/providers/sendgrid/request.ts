// SendGrid v3 Mail Send (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send):
// one POST per recipient, Bearer API key, JSON { personalizations, from, subject, content }.
//
//   buildSendGridRequest(origin, credentials, settings, message) → { url, init }   pure
//
// content lists text/plain before text/html, as SendGrid requires when both are given.
import type { EmailMessage } from "../types";
import type { SendGridCredentials, SendGridSettings } from "./credentials";

export const SENDGRID_API_ORIGIN = "https://api.sendgrid.com";
export const SENDGRID_MAIL_SEND_PATH = "/v3/mail/send";

export interface SendGridMailBody {
  personalizations: Array<{ to: Array<{ email: string }> }>;
  from: { email: string; name?: string };
  subject: string;
  content: Array<{ type: "text/plain" | "text/html"; value: string }>;
}

export function sendGridMailBody(settings: SendGridSettings, message: EmailMessage): SendGridMailBody {
  const content: SendGridMailBody["content"] = [];
  if (message.text !== undefined) content.push({ type: "text/plain", value: message.text });
  if (message.html !== undefined) content.push({ type: "text/html", value: message.html });
  return {
    personalizations: [{ to: [{ email: message.to }] }],
    from: settings.from_name ? { email: settings.from_email, name: settings.from_name } : { email: settings.from_email },
    subject: message.subject,
    content,
  };
}

export function buildSendGridRequest(origin: string, credentials: SendGridCredentials, settings: SendGridSettings, message: EmailMessage) {
  return {
    url: `${origin}${SENDGRID_MAIL_SEND_PATH}`,
    init: {
      method: "POST" as const,
      headers: { authorization: `Bearer ${credentials.api_key}`, "content-type": "application/json" },
      body: JSON.stringify(sendGridMailBody(settings, message)),
    },
  };
}

