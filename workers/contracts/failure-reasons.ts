// Why a delivery failed: the stable codes stored in deliveries.reason, reported by the stats
// API and shown by the dashboard — one table, each with the sentence a person reads. Channels
// classify their provider's answers into these codes (plus "http_<status>" for an unexpected
// status). A code never changes meaning once shipped; labels may be reworded.
export const FAILURE_REASONS = {
  rate_limited: "The provider asked us to slow down, and retries ran out",
  server_error: "The provider had an error, and retries ran out",
  timeout: "The provider did not answer in time",
  network_error: "The provider could not be reached",
  payload_too_large: "The message was too large for the provider",
  vapid_rejected: "The push service rejected the site's VAPID keys",
  bad_request: "The provider rejected the request as malformed",
  retries_exhausted: "Gave up after repeated failures",
  no_content: "The message had nothing to say on this channel",
  channel_not_configured: "The site has no provider set up for this channel",
  invalid_address: "The provider says the address or number is invalid or cannot receive messages",
  credentials_rejected: "The provider rejected the site's credentials",
  sender_not_allowed: "The provider does not allow the site's sender (from number or account) for this message",
  whatsapp_template_required: "WhatsApp allows only approved templates outside the 24-hour window after the user's last message",
  provider_rejected: "The provider refused the message",
  template_missing_variable: "The template uses a variable this recipient or the message data does not have, without a default",
  template_error: "The template could not be rendered for this recipient, or rendered something the channel cannot send",
  template_no_channel: "The template has no part for this channel in any of the recipient's languages",
  template_not_found: "The template (or the pinned version) no longer exists or was never published",
  inbox_unavailable: "The user's in-app inbox could not be reached, and retries ran out",
  // Recorded on pruned deliveries (services/sending/deliver.ts) and, for the last three, as the
  // reason of a message the provider accepted and reported failing later (services/messages.ts).
  gone: "The address or device no longer exists or cannot receive messages, so it is skipped from now on",
  bounced: "The recipient's mail server refused the e-mail after the provider accepted it",
  undelivered: "The carrier could not deliver the message to the phone",
  failed: "The provider accepted the message, then reported that it could not send it",
  unknown: "Unknown reason",
} as const;
export type FailureReason = keyof typeof FAILURE_REASONS | `http_${number}`;

/** Why a send was held back rather than sent (issue #9 §3): the decision every send goes through
 *  (services/preferences/decide.ts) records these on skipped, deferred and digested deliveries.
 *  Not failures — the user asked for it — so a table of their own, read by the same label lookup. */
export const HOLD_REASONS = {
  opted_out: "The user switched this channel or this category off",
  quiet_hours: "Held during the user's quiet hours; it goes out when they end",
  digested: "Collected into a digest the user gets at the end of the digest window",
  local_time: "Waiting for the delivery time in the recipient's own timezone",
  capped: "Not sent: the recipient already had as many notifications as the site's frequency cap allows",
} as const;
export type HoldReason = keyof typeof HOLD_REASONS;
/** Whether a stored reason says the send was held back on purpose (shown plainly, not as an error). */
export const isHoldReason = (reason: string | null | undefined): reason is HoldReason => !!reason && reason in HOLD_REASONS;

/** The sentence for a stored reason code (also hold reasons, http_<status> and codes newer than this table). */
export function failureLabel(reason: string): string {
  if (reason in FAILURE_REASONS) return FAILURE_REASONS[reason as keyof typeof FAILURE_REASONS];
  if (reason in HOLD_REASONS) return HOLD_REASONS[reason as HoldReason];
  const http = /^http_(\d{3})$/.exec(reason);
  return http ? `The provider answered HTTP ${http[1]}` : reason.replace(/_/g, " ");
}
