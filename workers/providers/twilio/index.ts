// Twilio: SMS and WhatsApp through the Messages API. request.ts builds the call, outcome.ts
// classifies the answer, signature.ts and status.ts serve the status callback route
// (routes/callbacks/twilio.ts). Credentials only ever reach the Authorization header.
import type { Provider, SmsMessage, WhatsAppMessage } from "../types";
import { type TwilioCredentials, type TwilioSettings, twilioCredentialsSchema, twilioHint, twilioSettingsSchema } from "./credentials";
import { classifyTwilioResult, type TwilioSendResult } from "./outcome";
import { callProvider } from "../http";
import { buildTwilioRequest, TWILIO_API_ORIGIN } from "./request";

export const twilio: Provider<TwilioCredentials, TwilioSettings> = {
  id: "twilio",
  channels: ["sms", "whatsapp"],
  credentialsSchema: twilioCredentialsSchema,
  settingsSchema: twilioSettingsSchema,
  hint: twilioHint,

  async send(ctx, channel, message, attempt): Promise<TwilioSendResult> {
    if (channel !== "sms" && channel !== "whatsapp") {
      return { outcome: { kind: "failed", reason: "channel_not_configured" }, httpStatus: null };
    }
    const req = buildTwilioRequest({
      origin: ctx.origin(TWILIO_API_ORIGIN),
      credentials: ctx.credentials,
      settings: ctx.settings,
      channel,
      message: message as SmsMessage | WhatsAppMessage,
      callbackUrl: ctx.callbackUrl,
    });
    if (!req.ok) return { outcome: req.outcome, httpStatus: null };
    const result = await callProvider(ctx.fetch, req.url, req.init);
    return classifyTwilioResult(result, attempt, { now: ctx.now });
  },
};
