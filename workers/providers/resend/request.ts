// Resend's send email API (https://resend.com/docs/api-reference/emails/send-email): one POST
// per recipient, Bearer API key, JSON { from, to, subject, html?, text? }; 200 { id }.
//
//   buildResendRequest(origin, credentials, settings, message) → { url, init }   pure
import type { EmailMessage } from "../types";
import type { ResendCredentials, ResendSettings } from "./credentials";

export const RESEND_API_ORIGIN = "https://api.resend.com";
export const RESEND_EMAILS_PATH = "/emails";

/** RFC 5322 mailbox: the name quoted when it holds anything but plain words. */
export function mailbox(email: string, name?: string): string {
  if (!name) return email;
  const display = /^[\p{L}\p{N} !#$%&'*+\-/=?^_`{|}~]+$/u.test(name) ? name : `"${name.replace(/["\\]/g, "\\$&")}"`;
  return `${display} <${email}>`;
}

export interface ResendEmailBody {
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
}

export function resendEmailBody(settings: ResendSettings, message: EmailMessage): ResendEmailBody {
  return {
    from: mailbox(settings.from_email, settings.from_name),
    to: [message.to],
    subject: message.subject,
    ...(message.html !== undefined ? { html: message.html } : {}),
    ...(message.text !== undefined ? { text: message.text } : {}),
  };
}

export function buildResendRequest(origin: string, credentials: ResendCredentials, settings: ResendSettings, message: EmailMessage) {
  return {
    url: `${origin}${RESEND_EMAILS_PATH}`,
    init: {
      method: "POST" as const,
      headers: { authorization: `Bearer ${credentials.api_key}`, "content-type": "application/json" },
      body: JSON.stringify(resendEmailBody(settings, message)),
    },
  };
}

