// Resend: email through its send email API. request.ts builds the call, outcome.ts classifies
// the answer, webhook.ts verifies and reads the Svix-signed webhook posts that
// routes/callbacks/resend.ts receives (delivered, bounced, complained). The API key only ever
// reaches the Authorization header; the webhook secret only the signature check.
import type { EmailMessage, Provider } from "../types";
import { type ResendCredentials, type ResendSettings, resendCredentialsSchema, resendHint, resendSettingsSchema } from "./credentials";
import { classifyResendResult, type ResendSendResult } from "./outcome";
import { callProvider } from "../http";
import { buildResendRequest, RESEND_API_ORIGIN } from "./request";

export const resend: Provider<ResendCredentials, ResendSettings> = {
  id: "resend",
  channels: ["email"],
  credentialsSchema: resendCredentialsSchema,
  settingsSchema: resendSettingsSchema,
  hint: resendHint,

  async send(ctx, channel, message, attempt): Promise<ResendSendResult> {
    if (channel !== "email") return { outcome: { kind: "failed", reason: "channel_not_configured" }, httpStatus: null };
    const { url, init } = buildResendRequest(ctx.origin(RESEND_API_ORIGIN), ctx.credentials, ctx.settings, message as EmailMessage);
    return classifyResendResult(await callProvider(ctx.fetch, url, init), attempt, { now: ctx.now });
  },
};
