// What a site gives Herald to send through its SendGrid account (issue #8 §3).
//
//   credentials (sealed at rest, never returned)   { api_key }  "SG.<id>.<secret>", with Mail Send
//   settings (returned as stored)                  { from_email, from_name?, event_webhook_public_key? }
//
// from_email must be a verified Sender Identity of the account (SendGrid answers 403 otherwise).
// event_webhook_public_key is the verification key SendGrid shows for the Signed Event Webhook
// (Mail Settings → Event Webhook → Signature Verification): base64 of a P-256 public key in
// SubjectPublicKeyInfo DER. Without it Herald cannot verify event posts and refuses them.
import { z } from "@hono/zod-openapi";
import { fromBase64 } from "../../lib/encoding";

/** The DER prefix of every P-256 (prime256v1) SubjectPublicKeyInfo; 26 bytes + 65 of point = 91. */
const P256_SPKI_PREFIX = "3059301306072a8648ce3d020106082a8648ce3d030107034200";

export function isP256SpkiBase64(value: string): boolean {
  try {
    const der = fromBase64(value.replace(/\s+/g, ""));
    const hex = Array.from(der.slice(0, 26), (b) => b.toString(16).padStart(2, "0")).join("");
    return der.length === 91 && hex === P256_SPKI_PREFIX;
  } catch {
    return false;
  }
}

export const sendGridCredentialsSchema = z.strictObject({
  api_key: z
    .string()
    .trim()
    .regex(/^SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{32,64}$/, "Must be a SendGrid API key: SG. followed by two dot-separated parts.")
    .openapi({ example: "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" }),
});
export type SendGridCredentials = z.infer<typeof sendGridCredentialsSchema>;

export const sendGridSettingsSchema = z.strictObject({
  from_email: z.email().max(254).openapi({ example: "news@acme.example.com", description: "A verified Sender Identity of the account" }),
  from_name: z.string().trim().min(1).max(100).optional().openapi({ example: "Acme" }),
  event_webhook_public_key: z
    .string()
    .trim()
    .max(200)
    .refine(isP256SpkiBase64, "Must be the Event Webhook verification key SendGrid shows: a base64 P-256 public key (it starts with MFkw).")
    .optional(),
});
export type SendGridSettings = z.infer<typeof sendGridSettingsSchema>;

/** ••••last4 of the API key: enough to tell keys apart, useless to anyone else. */
export const sendGridHint = (c: SendGridCredentials) => `••••${c.api_key.slice(-4)}`;
