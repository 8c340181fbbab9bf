// What the integrations API returns (routes/integrations.ts) and what each provider asks a person
// for (the dashboard's Integrations page builds its form from PROVIDER_FIELDS). Plain data, no
// zod: the providers' own schemas (workers/providers/<id>/credentials.ts) validate on the server,
// and the fields listed here must match them (test/routes/integrations.test.ts checks names).
import type { ProviderId } from "./providers";

export interface IntegrationView {
  id: string;
  channel: string;
  provider: string;
  name: string;
  /** The one the channel's sends use. */
  primary: boolean;
  /** "••••" and the last characters of the secret that authenticates sends. */
  credentials_hint: string;
  settings: Record<string, unknown>;
  last_test: { at: number; ok: boolean; message: string } | null;
  /** What a real send ran into that the site must fix (refused credentials or sender). */
  problem: { message: string; at: number } | null;
  created_at: number;
  updated_at: number;
}

export interface IntegrationTestResult {
  ok: boolean;
  outcome: "sent" | "gone" | "retry" | "failed";
  reason: string | null;
  provider_status: number | null;
  provider_code: string | null;
  provider_message_id: string | null;
  /** The provider's answer in one plain sentence. */
  message: string;
}

export interface ProviderField {
  name: string;
  label: string;
  /** secret: a password input (or a textarea for multi-line secrets); never shown again. */
  kind: "secret" | "secret_text" | "text" | "email";
  required?: boolean;
  placeholder?: string;
  hint?: string;
}

export const PROVIDER_FIELDS: Record<ProviderId, { credentials: ProviderField[]; settings: ProviderField[]; help: string }> = {
  sendgrid: {
    help: "An API key with the Mail Send permission (Settings → API Keys) and a verified sender.",
    credentials: [{ name: "api_key", label: "API key", kind: "secret", required: true, placeholder: "SG.…" }],
    settings: [
      { name: "from_email", label: "From address", kind: "email", required: true, placeholder: "news@example.com", hint: "A verified Sender Identity of the account." },
      { name: "from_name", label: "From name", kind: "text", placeholder: "Acme" },
      {
        name: "event_webhook_public_key",
        label: "Event Webhook verification key",
        kind: "text",
        placeholder: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…",
        hint: "Optional: for delivered and bounce statuses. SendGrid shows it under Mail Settings → Event Webhook → Signature Verification.",
      },
    ],
  },
  resend: {
    help: "An API key (sending access is enough) and an address on a domain verified in Resend.",
    credentials: [
      { name: "api_key", label: "API key", kind: "secret", required: true, placeholder: "re_…" },
      {
        name: "webhook_secret",
        label: "Webhook signing secret",
        kind: "secret",
        placeholder: "whsec_…",
        hint: "Optional: for delivered, bounced and complained statuses. Resend shows it under Webhooks, for an endpoint pointed at this integration's webhook URL.",
      },
    ],
    settings: [
      { name: "from_email", label: "From address", kind: "email", required: true, placeholder: "news@example.com", hint: "On a domain verified in Resend." },
      { name: "from_name", label: "From name", kind: "text", placeholder: "Acme" },
    ],
  },
  twilio: {
    help: "The account SID with its auth token (or an API key SID and secret), and at least one sender.",
    credentials: [
      { name: "auth_token", label: "Auth token", kind: "secret", placeholder: "32 hexadecimal characters", hint: "Also verifies Twilio's status callbacks: give it even when you use an API key." },
      { name: "api_key_sid", label: "API key SID", kind: "text", placeholder: "SK…", hint: "Optional, with its secret, instead of the auth token for sending." },
      { name: "api_key_secret", label: "API key secret", kind: "secret" },
    ],
    settings: [
      { name: "account_sid", label: "Account SID", kind: "text", required: true, placeholder: "AC…" },
      { name: "from", label: "SMS from number", kind: "text", placeholder: "+14155550123" },
      { name: "messaging_service_sid", label: "Messaging Service SID", kind: "text", placeholder: "MG…" },
      { name: "whatsapp_from", label: "WhatsApp sender number", kind: "text", placeholder: "+14155550123" },
    ],
  },
  fcm: {
    help: "A service account of the Firebase project (Project settings → Service accounts → Generate new private key). iOS apps are reached through FCM too.",
    credentials: [{ name: "service_account", label: "Service-account JSON", kind: "secret_text", required: true, placeholder: '{ "type": "service_account", "project_id": … }' }],
    settings: [],
  },
};
