// The providers Herald can send through, by id (contracts/providers.ts PROVIDER_IDS): one
// line per implementation. The integrations API accepts only providers listed here, and
// services/integrations builds a ProviderContext for the one a site's integration names.
import type { ProviderId } from "../contracts/providers";
import { fcm } from "./fcm";
import { resend } from "./resend";
import { sendgrid } from "./sendgrid";
import { twilio } from "./twilio";
import type { Provider } from "./types";

// Each provider is generic in its own credentials and settings; the registry erases them
// (the integration row's JSON is parsed by the provider's own schemas before any use).
type AnyProvider = Provider<any, any>;

export const PROVIDER_IMPLEMENTATIONS: Partial<Record<ProviderId, AnyProvider>> = {
  sendgrid,
  resend,
  twilio,
  fcm,
};

/** The implementation of `id`, or undefined while it has none. */
export const providerFor = (id: ProviderId): AnyProvider | undefined => PROVIDER_IMPLEMENTATIONS[id];
