// The shape of one provider stand-in (SendGrid, Resend, Twilio, FCM) inside the local provider
// server (scripts/local/providers/server.ts): a handler that answers the requests for its real
// API's paths like the provider does, and records what it received for tests to inspect.
export interface StandInRecord {
  provider: string;
  method: string;
  path: string;
  /** Request headers, lower-cased names (Authorization included: tests check the auth scheme). */
  headers: Record<string, string>;
  /** The raw request body (JSON text or form-encoded, as the provider's API takes it). */
  body: string;
  /** What the stand-in made of it: the parsed message for accepted sends. */
  parsed?: unknown;
  status: number;
  /** The provider's id for an accepted message (X-Message-Id, Twilio SID, FCM name). */
  messageId?: string;
  receivedAt: number;
}

export interface StandInContext {
  /** Records one request (every answered request, accepted or not). */
  record(entry: Omit<StandInRecord, "provider" | "receivedAt">): void;
  /** Per-address counters for "fail once, then succeed" failure modes. */
  seen(key: string): number;
  /** This server's own origin, e.g. for token_uri in generated credentials. */
  origin: string;
  /** Outbound fetch for status callbacks the stand-in posts back (Twilio StatusCallback, SendGrid events). */
  fetch: typeof fetch;
}

export interface StandIn {
  name: string;
  /** Answers a request for this provider's paths, or null when the path is not its. */
  handle(req: Request, url: URL, ctx: StandInContext): Promise<Response | null>;
  /** Forgets per-provider state (POST /_standin/reset). */
  reset?(): void;
}
