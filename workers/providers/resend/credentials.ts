// What a site gives Herald to send through its Resend account (issue #8 §3).
//
//   credentials (sealed at rest, never returned)   { api_key }   "re_…", sending access is enough
//   settings (returned as stored)                  { from_email, from_name? }
//
// from_email must be on a domain verified in the Resend account (403 validation_error otherwise).
import { z } from "@hono/zod-openapi";

export const resendCredentialsSchema = z.strictObject({
  api_key: z
    .string()
    .trim()
    .regex(/^re_[A-Za-z0-9_]{16,64}$/, "Must be a Resend API key: re_ followed by letters, digits and underscores.")
    .openapi({ example: "re_123456789_AbCdEfGhIjKlMnOpQrStUvWx" }),
});
export type ResendCredentials = z.infer<typeof resendCredentialsSchema>;

export const resendSettingsSchema = z.strictObject({
  from_email: z.email().max(254).openapi({ example: "news@acme.example.com", description: "An address on a domain verified in Resend" }),
  from_name: z.string().trim().min(1).max(100).optional().openapi({ example: "Acme" }),
});
export type ResendSettings = z.infer<typeof resendSettingsSchema>;

export const resendHint = (c: ResendCredentials) => `••••${c.api_key.slice(-4)}`;
