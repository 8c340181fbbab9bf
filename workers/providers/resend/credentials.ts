// What a site gives Herald to send through its Resend account (issue #8 §3).
//
//   credentials (sealed at rest, never returned)   { api_key, webhook_secret? }
//   settings (returned as stored)                  { from_email, from_name? }
//
// api_key is "re_…"; sending access is enough. from_email must be on a domain verified in the
// Resend account (403 validation_error otherwise).
// webhook_secret is the signing secret Resend shows for a webhook (Webhooks → the endpoint →
// Signing secret, or `signing_secret` in POST /webhooks' answer): "whsec_" + base64. It verifies
// the Svix-signed status posts routes/callbacks/resend.ts receives. Unlike SendGrid's Event
// Webhook key, which is public and so a setting, it is an HMAC key — anyone holding it can forge
// reports — so it is sealed with the API key and never returned. Without it Herald refuses
// Resend's posts (403) and Resend's sends report sent/failed only.
import { z } from "@hono/zod-openapi";
import { fromBase64 } from "../../lib/encoding";

/** Standard Webhooks secrets are 24 to 64 random bytes (Svix, and so Resend, use 24). */
const WEBHOOK_SECRET_MIN_BYTES = 24;
const WEBHOOK_SECRET_MAX_BYTES = 64;

export function isWebhookSecret(value: string): boolean {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (!m) return false;
  try {
    const n = fromBase64(m[1]!).length;
    return n >= WEBHOOK_SECRET_MIN_BYTES && n <= WEBHOOK_SECRET_MAX_BYTES;
  } catch {
    return false;
  }
}

export const resendCredentialsSchema = z.strictObject({
  api_key: z
    .string()
    .trim()
    .regex(/^re_[A-Za-z0-9_]{16,64}$/, "Must be a Resend API key: re_ followed by letters, digits and underscores.")
    .openapi({ example: "re_123456789_AbCdEfGhIjKlMnOpQrStUvWx" }),
  webhook_secret: z
    .string()
    .trim()
    .max(200)
    .refine(isWebhookSecret, "Must be the webhook signing secret Resend shows: whsec_ followed by base64 (24 to 64 bytes).")
    .optional()
    .openapi({ example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", description: "Verifies Resend's signed webhook posts (delivered, bounced, complained)" }),
});
export type ResendCredentials = z.infer<typeof resendCredentialsSchema>;

export const resendSettingsSchema = z.strictObject({
  from_email: z.email().max(254).openapi({ example: "news@acme.example.com", description: "An address on a domain verified in Resend" }),
  from_name: z.string().trim().min(1).max(100).optional().openapi({ example: "Acme" }),
});
export type ResendSettings = z.infer<typeof resendSettingsSchema>;

/** ••••last4 of the API key (what authenticates sends), never of the webhook secret. */
export const resendHint = (c: ResendCredentials) => `••••${c.api_key.slice(-4)}`;
