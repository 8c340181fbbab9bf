// The one interface every outside provider (SendGrid, Resend, Twilio, FCM) implements. A
// channel (channels/email, channels/sms …) renders what to say and picks the address; the
// site's integration for that channel names the provider; the provider turns one message into
// its HTTP API call and classifies the answer (sent / gone / retry / failed) — the same
// SendResult the orchestration records for every channel.
import type { z } from "@hono/zod-openapi";
import type { SendResult } from "../channels/types";
import type { ChannelId } from "../contracts/channels";
import type { ProviderId } from "../contracts/providers";

/** What one email says, rendered for one recipient. */
export interface EmailMessage {
  to: string;
  subject: string;
  html?: string;
  text?: string;
}
/** One SMS: `to` in E.164. */
export interface SmsMessage {
  to: string;
  text: string;
}
/** One WhatsApp message: free text inside the 24 h session window, or an approved template
 *  (Twilio Content API: content_sid + variables) outside it. `to` in E.164 (no "whatsapp:"). */
export interface WhatsAppMessage {
  to: string;
  text?: string;
  contentSid?: string;
  contentVariables?: Record<string, string>;
}
/** One FCM HTTP v1 message to one registration token. */
export interface FcmMessage {
  token: string;
  title: string;
  body?: string;
  image?: string;
  url?: string;
  data?: Record<string, string>;
}
export interface ChannelMessages {
  email: EmailMessage;
  sms: SmsMessage;
  whatsapp: WhatsAppMessage;
  fcm: FcmMessage;
}
export type ProviderChannel = keyof ChannelMessages & ChannelId;

/** Everything a provider needs for one call; built once per batch by the channel. */
export interface ProviderContext<Credentials, Settings> {
  siteId: string;
  integrationId: string;
  credentials: Credentials;
  settings: Settings;
  /** Maps a real API origin ("https://api.sendgrid.com") to the one to call: itself, or its
   *  local stand-in when the PROVIDER_ORIGIN_OVERRIDES variable (local use only) names one. */
  origin(real: string): string;
  /** Outbound HTTP through lib/safe-fetch.ts (the stand-ins' origins are allowed locally). */
  fetch: typeof fetch;
  now: () => number;
  /** Where the provider posts status callbacks for this integration (Twilio StatusCallback). */
  callbackUrl: string;
}

/** A provider's answer: SendResult (whose providerMessageId lets a later status callback find
 *  the delivery), plus the provider's own words for the integration test's answer. */
export interface ProviderSendResult extends SendResult {
  detail?: string;
}

export interface Provider<Credentials = unknown, Settings = unknown> {
  id: ProviderId;
  /** Channels this provider delivers (contracts/providers.ts PROVIDERS[id].channels). */
  channels: readonly ProviderChannel[];
  /** Secret fields: sealed at rest, never returned (shown as ••••last4 via `hint`). */
  credentialsSchema: z.ZodType<Credentials>;
  /** Non-secret fields (from address, sender number, project id): returned as stored. */
  settingsSchema: z.ZodType<Settings>;
  hint(credentials: Credentials): string;
  send<C extends ProviderChannel>(ctx: ProviderContext<Credentials, Settings>, channel: C, message: ChannelMessages[C], attempt: number): Promise<ProviderSendResult>;
}
