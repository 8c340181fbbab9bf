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
  unknown: "Unknown reason",
} as const;
export type FailureReason = keyof typeof FAILURE_REASONS | `http_${number}`;

/** The sentence for a stored reason code (also for http_<status> and codes newer than this table). */
export function failureLabel(reason: string): string {
  if (reason in FAILURE_REASONS) return FAILURE_REASONS[reason as keyof typeof FAILURE_REASONS];
  const http = /^http_(\d{3})$/.exec(reason);
  return http ? `The provider answered HTTP ${http[1]}` : reason.replace(/_/g, " ");
}
