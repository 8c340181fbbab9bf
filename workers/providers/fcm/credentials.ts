// What a site gives Herald to send through Firebase Cloud Messaging: { service_account }, the
// service-account JSON file from the Firebase console (Project settings → Service accounts →
// Generate new private key), as the JSON object itself or as the file's text. Only what signing needs is kept — project_id,
// client_email, private_key_id, private_key; the rest (client_id, auth_uri, token_uri, cert
// URLs, universe_domain) is dropped. token_uri in particular is never used: tokens always come
// from Google's fixed endpoint (token.ts), so a tenant cannot point Herald at an address of
// their choosing.
//
// The key must be what Google issues: an RSA key in PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
// That is checked here, synchronously, from the DER structure; the key is imported (and Google
// asked) at the first send.
import { z } from "@hono/zod-openapi";
import { fromBase64 } from "../../lib/encoding";

const PEM_RE = /^-----BEGIN PRIVATE KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PRIVATE KEY-----\s*$/;
/** rsaEncryption (1.2.840.113549.1.1.1) as a DER OBJECT IDENTIFIER, then the NULL parameters. */
const RSA_ALGORITHM = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];

/** Why `pem` is not an RSA PKCS#8 private key, or null when it is one (structurally). */
export function rsaPkcs8Problem(pem: string): string | null {
  if (/-----BEGIN RSA PRIVATE KEY-----/.test(pem)) {
    return "Must be a PKCS#8 key (-----BEGIN PRIVATE KEY-----); this is PKCS#1. Use the private_key from the service-account JSON as Google issues it.";
  }
  const m = PEM_RE.exec(pem.trim());
  if (!m) return "Must be a private key in PEM form, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----.";
  let der: Uint8Array;
  try {
    der = fromBase64(m[1]!.replace(/\s+/g, ""));
  } catch {
    return "The private key's PEM body is not valid base64.";
  }
  // PrivateKeyInfo ::= SEQUENCE { version INTEGER 0, AlgorithmIdentifier SEQUENCE { OID, NULL }, OCTET STRING }
  // (RFC 5208 §5). A 2048–4096-bit key's outer SEQUENCE has a two-byte length (0x82).
  const header = [0x30, 0x82];
  const atAlgorithm = [0x02, 0x01, 0x00, 0x30, 0x0d];
  const matches = (at: number, bytes: number[]) => bytes.every((b, i) => der[at + i] === b);
  if (der.length < 600 || !matches(0, header) || !matches(4, atAlgorithm) || !matches(9, RSA_ALGORITHM)) {
    return "Must be an RSA private key (PKCS#8) of at least 2048 bits, as in a Google service-account JSON.";
  }
  return null;
}

const ServiceAccount = z.object({
  type: z.literal("service_account", "Must be \"service_account\": use the JSON file of a service account.").optional(),
  project_id: z
    .string()
    .regex(/^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "Must be a Google Cloud project id: 6 to 30 lowercase letters, digits or hyphens."),
  private_key_id: z.string().regex(/^[0-9A-Za-z]{1,100}$/, "Must be the key's id from the service-account JSON.").optional(),
  private_key: z
    .string()
    .max(8192)
    .superRefine((pem, ctx) => {
      const problem = rsaPkcs8Problem(pem);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  client_email: z.email("Must be the service account's email, like firebase-adminsdk-x@my-project.iam.gserviceaccount.com.").max(254),
});
export type ServiceAccount = z.infer<typeof ServiceAccount>;

/** { service_account }: the service-account JSON, as an object or as the file's text. */
export const fcmCredentialsSchema = z.strictObject({
  service_account: z.preprocess((value, ctx) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "Must be the service-account JSON file's content; this text is not valid JSON.", input: value });
      return z.NEVER;
    }
  }, ServiceAccount),
});
export type FcmCredentials = z.infer<typeof fcmCredentialsSchema>;

/** FCM needs nothing beyond the service account: the project comes from its JSON. */
export const fcmSettingsSchema = z.strictObject({});
export type FcmSettings = z.infer<typeof fcmSettingsSchema>;

/** The project and ••••last4 of the key id (neither is secret), so a person can tell keys apart. */
export function fcmHint({ service_account: sa }: FcmCredentials): string {
  return sa.private_key_id ? `${sa.project_id} ••••${sa.private_key_id.slice(-4)}` : `${sa.project_id} · ${sa.client_email}`;
}
