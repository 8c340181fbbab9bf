// Why Herald did not fetch a tenant-supplied URL: the one table of reasons that
// workers/lib/safe-fetch.ts returns, each with the plain sentence a person reads.
// A code never changes meaning once shipped: the install check, feed polling and the
// webhook delivery log store and switch on it. Messages may be reworded freely.
//
// Templates fill {url} (the address being fetched), {host}, {address} (an IP address),
// {limit} (a human quantity: "5 seconds", "256 KB") and {code} (a Cloudflare error number).
// `redirect` is the sentence used when a redirect led to the refused address, so the
// person learns that their own URL was fine but pointed somewhere Herald will not go.
import { z } from "zod";

const PUBLIC_ONLY = "Herald only fetches public https addresses.";

export const OUTBOUND_FAILURES = {
  // The address itself (checked before every hop, redirects included).
  invalid_url: {
    message: "{url} is not a valid web address.",
    redirect: "Redirected to {url}, which is not a valid web address.",
  },
  not_https: {
    message: "{url} is not https; " + PUBLIC_ONLY,
    redirect: "Redirected to {url} which is not https.",
  },
  credentials: {
    message: "{url} contains a user name or password; Herald does not fetch addresses with credentials.",
    redirect: "Redirected to {url}, which contains a user name or password; Herald does not fetch addresses with credentials.",
  },
  private_address: {
    message: "The address {host} is in a private network; " + PUBLIC_ONLY,
    redirect: "Redirected to {url}, whose address {host} is in a private network; " + PUBLIC_ONLY,
  },
  local_name: {
    message: "{host} is a local network name; " + PUBLIC_ONLY,
    redirect: "Redirected to {url}, whose host {host} is a local network name; " + PUBLIC_ONLY,
  },
  // DNS (our DNS-over-HTTPS check, or Cloudflare's fetch reporting its own DNS error).
  resolves_private: {
    message: "{host} resolves to {address}, which is in a private network; " + PUBLIC_ONLY,
    redirect: "Redirected to {url}, whose host {host} resolves to {address}, which is in a private network; " + PUBLIC_ONLY,
  },
  dns_not_found: { message: "{host} does not exist: DNS has no address for it." },
  dns_failed: { message: "DNS lookup for {host} failed." },
  // Cloudflare's fetch refused (its 1xxx error pages).
  prohibited_address: { message: "Cloudflare refused to fetch {host} because its DNS points to a prohibited address." },
  ip_access_refused: { message: "{host} does not accept requests addressed to its IP address; use its host name." },
  cloudflare_refused: { message: "Cloudflare refused to fetch {host} (error {code})." },
  // The connection and the answer.
  connect_failed: { message: "Could not connect to {host} (connection refused or unreachable)." },
  tls_failed: { message: "Could not make a secure (TLS) connection to {host}; check its certificate." },
  unreachable: { message: "Could not reach {host}: its name did not resolve or its secure (TLS) connection failed." },
  timeout: { message: "{host} did not answer within {limit}." },
  too_large: { message: "The response was larger than {limit}." },
  too_many_redirects: { message: "Too many redirects (more than {limit})." },
  fetch_failed: { message: "Could not fetch {url}." },
} as const satisfies Record<string, { message: string; redirect?: string }>;

export type OutboundFailureReason = keyof typeof OUTBOUND_FAILURES;

export const OutboundFailureReason = z.enum(
  Object.keys(OUTBOUND_FAILURES) as [OutboundFailureReason, ...OutboundFailureReason[]],
);

export interface OutboundMessageParams {
  url?: string;
  host?: string;
  address?: string;
  limit?: string;
  code?: string;
}

/** The sentence for a reason; `viaRedirect` picks the redirect wording where there is one. */
export function outboundMessage(reason: OutboundFailureReason, params: OutboundMessageParams, viaRedirect = false): string {
  const entry: { message: string; redirect?: string } = OUTBOUND_FAILURES[reason];
  const template = (viaRedirect && entry.redirect) || entry.message;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => params[key as keyof OutboundMessageParams] ?? "");
}
