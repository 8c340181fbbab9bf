// RFC 8030 §5 push message delivery: one POST of an encrypted body to a subscription's
// endpoint, with the RFC 8030 headers (TTL §5.2, Urgency §5.3, Topic §5.4), RFC 8291's
// Content-Encoding and the RFC 8292 VAPID Authorization.
//
//   buildPushRequest(args)  → { url, init }   validated; throws TypeError on bad TTL/urgency/topic
//   sendPush(args)          → PushResult      never throws for network errors or timeouts
//   isValidTopic / isUrgency                   for API-side validation
//
// PushResult = { status, headers, body? } | { error: "timeout" | "network_error", message }.
// classifyPushResult (outcome.ts) turns it into sent / gone / retry / failed.

import { PUSH_ERROR_BODY_MAX_CHARS, PUSH_REQUEST_TIMEOUT_MS, PUSH_TOPIC_MAX_CHARS, PUSH_TTL_MAX_S } from "../../config";
// RFC 8030 §5.3 urgency levels are part of a notification's content (contracts/content.ts).
import { URGENCIES, type Urgency } from "../../contracts/content";

export { URGENCIES, type Urgency };

export type PushResult =
  | { status: number; headers: Headers; /** first PUSH_ERROR_BODY_MAX_CHARS of a non-2xx body, for logs */ body?: string }
  | { error: "timeout" | "network_error"; message: string };

export interface PushRequestArgs {
  endpoint: string;
  body: Uint8Array;
  /** Authorization header value from VapidSigner.authorizationFor(endpoint). */
  authorization: string;
  /** Seconds the push service may hold the message; 0 = deliver now or drop (RFC 8030 §5.2). */
  ttlS: number;
  urgency?: Urgency;
  /** Replaces a pending message with the same topic (RFC 8030 §5.4). */
  topic?: string;
}

export interface SendPushArgs extends PushRequestArgs {
  /** Default PUSH_REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Default global fetch; inject a stub in tests. */
  fetcher?: typeof fetch;
}

const TOPIC_RE = new RegExp(`^[A-Za-z0-9_-]{1,${PUSH_TOPIC_MAX_CHARS}}$`);

/** RFC 8030 §5.4: ≤ 32 characters of the URL-safe base64 alphabet. */
export function isValidTopic(topic: string): boolean {
  return TOPIC_RE.test(topic);
}

export function isUrgency(value: unknown): value is Urgency {
  return typeof value === "string" && (URGENCIES as readonly string[]).includes(value);
}

/** Builds the fetch arguments for one push message. */
export function buildPushRequest(args: PushRequestArgs): { url: string; init: RequestInit } {
  if (!Number.isInteger(args.ttlS) || args.ttlS < 0 || args.ttlS > PUSH_TTL_MAX_S) {
    throw new TypeError(`TTL must be an integer between 0 and ${PUSH_TTL_MAX_S} seconds`);
  }
  if (args.urgency !== undefined && !isUrgency(args.urgency)) throw new TypeError(`invalid urgency: ${args.urgency}`);
  if (args.topic !== undefined && !isValidTopic(args.topic)) {
    throw new TypeError(`topic must be 1-${PUSH_TOPIC_MAX_CHARS} characters of [A-Za-z0-9_-]`);
  }
  const headers: Record<string, string> = {
    authorization: args.authorization,
    "content-encoding": "aes128gcm", // RFC 8291 §4
    "content-type": "application/octet-stream",
    ttl: String(args.ttlS),
  };
  if (args.urgency) headers.urgency = args.urgency;
  if (args.topic) headers.topic = args.topic;
  return { url: args.endpoint, init: { method: "POST", headers, body: args.body } };
}

/** POSTs one push message. Validation errors (bad TTL/topic/urgency) throw; network
 *  failures and timeouts are returned as { error }. */
export async function sendPush(args: SendPushArgs): Promise<PushResult> {
  const { url, init } = buildPushRequest(args);
  const fetcher = args.fetcher ?? fetch;
  const signal = AbortSignal.timeout(args.timeoutMs ?? PUSH_REQUEST_TIMEOUT_MS);
  try {
    const res = await fetcher(url, { ...init, signal });
    let body: string | undefined;
    if (res.ok) {
      await res.body?.cancel(); // push services answer 201 with an empty body; free the connection
    } else {
      body = (await res.text()).slice(0, PUSH_ERROR_BODY_MAX_CHARS);
    }
    return body === undefined ? { status: res.status, headers: res.headers } : { status: res.status, headers: res.headers, body };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    const timedOut = e?.name === "TimeoutError" || (e?.name === "AbortError" && signal.aborted);
    return { error: timedOut ? "timeout" : "network_error", message: String(e?.message ?? err) };
  }
}
