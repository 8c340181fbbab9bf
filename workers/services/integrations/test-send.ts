// The integration test: a short fixed message per channel to an address the person gives, and
// the provider's answer told in one plain sentence ("SendGrid accepted the message (HTTP 202).",
// "SendGrid refused the API key (HTTP 401): …"). Pure: the service makes the call.
import { z } from "@hono/zod-openapi";
import type { ChannelId } from "../../contracts/channels";
import { failureLabel } from "../../contracts/failure-reasons";
import { invalidField } from "../../errors";
import type { ChannelMessages, ProviderChannel, ProviderSendResult } from "../../providers/types";

export const TEST_SUBJECT = "Herald test";

const E164 = /^\+[1-9]\d{6,14}$/;
const FCM_TOKEN = /^[A-Za-z0-9_:-]{20,4096}$/;

/** The test message for `channel`, addressed to `to` (a 400 naming "to" when it cannot be). */
export function testMessage<C extends ProviderChannel>(channel: C, to: string, integrationName: string): ChannelMessages[C] {
  const text = `This is a test message from Herald for the integration "${integrationName}". It needs no action.`;
  const value = to.trim();
  switch (channel) {
    case "email":
      if (!z.email().safeParse(value).success) throw invalidField("to", "Must be an email address to send the test to.");
      return { to: value, subject: TEST_SUBJECT, text } as ChannelMessages[C];
    case "sms":
    case "whatsapp":
      if (!E164.test(value)) throw invalidField("to", "Must be an international number in E.164 form, like +14155550123.");
      return { to: value, text } as ChannelMessages[C];
    case "fcm":
      if (!FCM_TOKEN.test(value)) throw invalidField("to", "Must be an FCM registration token of a test device.");
      return { token: value, title: TEST_SUBJECT, body: text } as ChannelMessages[C];
  }
  throw invalidField("to", "This channel has no test message.");
}

export const isProviderChannel = (c: ChannelId | string): c is ProviderChannel => c === "email" || c === "sms" || c === "whatsapp" || c === "fcm";

const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** What the provider said, in words. `detail` is the provider's own message when its module
 *  passes one along (SendGrid and Resend do), or safe-fetch's sentence for a failed connection. */
export function describeResult(label: string, result: ProviderSendResult & { detail?: unknown }): string {
  const detail = typeof result.detail === "string" && result.detail.trim() ? result.detail.trim() : undefined;
  const status = result.httpStatus;
  const http = [status !== null ? `HTTP ${status}` : null, result.providerCode ?? null].filter(Boolean).join(", ");
  const answered = http ? ` (${http})` : "";
  const o = result.outcome;
  switch (o.kind) {
    case "sent":
      return `${label} accepted the message${answered}.${result.providerMessageId ? ` Its message id is ${result.providerMessageId}.` : ""}`;
    case "gone":
      return sentence(`${label} says the address cannot receive messages${answered}${detail ? `: ${detail}` : ""}`);
    case "failed":
      if (o.configProblem) return sentence(o.configProblem);
      return sentence(`${label} refused the message${answered}: ${detail ?? failureLabel(o.reason)}`);
    case "retry":
      if (status === null) return sentence(`${label} could not be reached${detail ? `: ${detail}` : ""}`);
      if (o.reason === "rate_limited") return `${label} asked to slow down${answered}; a real send would try again in ${o.delayS} s.`;
      return sentence(`${label} had a temporary error${answered}; a real send would try again in ${o.delayS} s${detail ? `. It said: ${detail}` : ""}`);
  }
}
