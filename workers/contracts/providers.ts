// The outside providers a site can configure per channel (issue #8 §3). One definition: the
// integrations API validates `provider` against it, the dashboard lists it, and
// workers/providers/index.ts maps each id to its implementation.
import type { ChannelId } from "./channels";

export const PROVIDER_IDS = ["sendgrid", "resend", "twilio", "fcm"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const PROVIDERS: Record<ProviderId, { label: string; channels: readonly ChannelId[] }> = {
  sendgrid: { label: "SendGrid", channels: ["email"] },
  resend: { label: "Resend", channels: ["email"] },
  twilio: { label: "Twilio", channels: ["sms", "whatsapp"] },
  fcm: { label: "Firebase Cloud Messaging", channels: ["fcm"] },
};
