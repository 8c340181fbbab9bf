// SendGrid: email through the v3 Mail Send API. request.ts builds the call, outcome.ts
// classifies the answer, event-webhook.ts verifies and reads the Event Webhook posts that
// routes/callbacks/sendgrid.ts receives. The API key only ever reaches the Authorization header.
import type { EmailMessage, Provider } from "../types";
import { type SendGridCredentials, type SendGridSettings, sendGridCredentialsSchema, sendGridHint, sendGridSettingsSchema } from "./credentials";
import { classifySendGridResult, type SendGridSendResult } from "./outcome";
import { callProvider } from "../http";
import { buildSendGridRequest, SENDGRID_API_ORIGIN } from "./request";

export const sendgrid: Provider<SendGridCredentials, SendGridSettings> = {
  id: "sendgrid",
  channels: ["email"],
  credentialsSchema: sendGridCredentialsSchema,
  settingsSchema: sendGridSettingsSchema,
  hint: sendGridHint,

  async send(ctx, channel, message, attempt): Promise<SendGridSendResult> {
    if (channel !== "email") return { outcome: { kind: "failed", reason: "channel_not_configured" }, httpStatus: null };
    const { url, init } = buildSendGridRequest(ctx.origin(SENDGRID_API_ORIGIN), ctx.credentials, ctx.settings, message as EmailMessage);
    return classifySendGridResult(await callProvider(ctx.fetch, url, init), attempt, { now: ctx.now });
  },
};
