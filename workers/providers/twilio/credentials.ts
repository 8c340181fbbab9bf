// What a site gives Herald to send through its Twilio account (issue #8 §3).
//
//   credentials (sealed at rest, never returned)
//     { auth_token }                                   account SID + auth token (HTTP Basic)
//     { api_key_sid, api_key_secret, auth_token? }     an API key (Basic SK…:secret, the account
//                                                      SID stays in the path); the auth token is
//                                                      still needed to verify status callbacks,
//                                                      which Twilio always signs with it
//   settings (returned as stored)
//     { account_sid, from?, messaging_service_sid?, whatsapp_from? }   at least one sender
//
// The formats are Twilio's own (Console → Account info, API keys): a paste error is a 400 at
// creation, not a failed send later. The API key SID lives with its secret so the pair is
// checked together.
import { z } from "@hono/zod-openapi";

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "Must be an international number in E.164 form, like +14155550123.");

const AuthToken = z.string().regex(/^[0-9a-fA-F]{32}$/, "Must be a Twilio auth token: 32 hexadecimal characters.");

export const twilioCredentialsSchema = z
  .strictObject({
    auth_token: AuthToken.optional(),
    api_key_sid: z.string().regex(/^SK[0-9a-fA-F]{32}$/, "Must be a Twilio API key SID: SK followed by 32 hexadecimal characters.").optional(),
    api_key_secret: z.string().regex(/^[A-Za-z0-9]{32}$/, "Must be a Twilio API key secret: 32 letters and digits.").optional(),
  })
  .superRefine((c, ctx) => {
    if (c.api_key_sid && !c.api_key_secret) ctx.addIssue({ code: "custom", path: ["api_key_secret"], message: "Give the API key's secret with its SID." });
    else if (c.api_key_secret && !c.api_key_sid) ctx.addIssue({ code: "custom", path: ["api_key_sid"], message: "Give the API key's SID with its secret." });
    else if (!c.auth_token && !c.api_key_sid) ctx.addIssue({ code: "custom", path: ["auth_token"], message: "Give the account's auth token, or an API key SID and secret." });
  });
export type TwilioCredentials = z.infer<typeof twilioCredentialsSchema>;

export const twilioSettingsSchema = z
  .strictObject({
    account_sid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "Must be a Twilio account SID: AC followed by 32 hexadecimal characters."),
    from: E164.optional().openapi({ description: "SMS sender number (a Twilio number of the account)" }),
    messaging_service_sid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, "Must be a Messaging Service SID: MG followed by 32 hexadecimal characters.")
      .optional(),
    whatsapp_from: E164.optional().openapi({ description: "WhatsApp sender number (without the whatsapp: prefix)" }),
  })
  .refine((s) => s.from || s.messaging_service_sid || s.whatsapp_from, {
    message: "Give at least one sender: from, messaging_service_sid or whatsapp_from.",
    path: ["from"],
  });
export type TwilioSettings = z.infer<typeof twilioSettingsSchema>;

/** HTTP Basic credentials for the REST API: the API key when there is one, else the account. */
export function twilioBasicAuth(credentials: TwilioCredentials, settings: TwilioSettings): string {
  const [user, password] =
    credentials.api_key_sid && credentials.api_key_secret
      ? [credentials.api_key_sid, credentials.api_key_secret]
      : [settings.account_sid, credentials.auth_token ?? ""];
  return `Basic ${btoa(`${user}:${password}`)}`;
}

/** The secret a person recognises the integration by: ••••last4 of what authenticates sends. */
export function twilioHint(credentials: TwilioCredentials): string {
  const secret = credentials.api_key_secret ?? credentials.auth_token ?? "";
  return `••••${secret.slice(-4)}`;
}
