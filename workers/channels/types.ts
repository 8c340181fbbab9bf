// The one interface every delivery channel implements. The orchestration (services/sending)
// knows nothing else about a channel: it leases a batch, asks the channel for the batch's
// pending recipients, prepares once per batch, sends to each recipient with bounded
// concurrency, and records what `send` classified. Adding a channel is one folder beside
// webpush/ and one line in channels/index.ts.
import type { ChannelId } from "../contracts/channels";
import type { FailureReason } from "../contracts/failure-reasons";
import type { Target } from "../contracts/target";
import type { NotificationRow } from "../db/queries/notifications";
import type { Deps } from "../services/deps";

/** What one attempt came to, decided by the channel from its provider's answer. */
export type SendOutcome =
  | { kind: "sent" }
  /** The address no longer exists (410, UNREGISTERED, invalid number): prune it, never retry. */
  | { kind: "gone" }
  /** Transient: try this recipient again after `delayS` (Retry-After, or backoff). */
  | { kind: "retry"; reason: FailureReason; delayS: number }
  /** Permanent for this message. `configProblem` says the site's own setup is at fault
   *  (wrong keys or credentials): shown to the site, the address is kept. */
  | { kind: "failed"; reason: FailureReason; configProblem?: string };

export interface SendResult {
  outcome: SendOutcome;
  /** The provider's HTTP status, when it answered (kept on the delivery row). */
  httpStatus: number | null;
  /** The provider's id for the message (SendGrid X-Message-Id, Twilio SID, FCM name): its
   *  status callbacks find the delivery row by it. */
  providerMessageId?: string;
  /** The provider's own error code, kept with a failure (e.g. Twilio 21211, FCM UNREGISTERED). */
  providerCode?: string;
}

/** One batch of one notification: a range of recipient ids (the planner's cut). */
export interface BatchJob {
  siteId: string;
  notificationId: string;
  fromId: string;
  toId: string;
}

export interface Recipient {
  /** The id deliveries are recorded under (a subscriber id for web push). */
  id: string;
  /** The site's own id of the person behind it, when known (reported in webhook events). */
  externalId?: string | null;
  /** The recipient's own timezone when the channel knows it (a browser's, from the SDK): local
   *  delivery times use it for recipients whose user has none. */
  timezone?: string | null;
}

export interface Channel<R extends Recipient = Recipient, P = unknown> {
  readonly id: ChannelId;
  /** The next page of the target's recipient ids after `afterId`, in id order (the planner cuts
   *  batches of id ranges from it). */
  audience(deps: Deps, siteId: string, target: Target, afterId: string, limit: number): Promise<Array<{ id: string }>>;
  /** Recipients in the batch's range that have no delivery row yet for this notification. */
  pendingRecipients(deps: Deps, job: BatchJob, notification: NotificationRow): Promise<R[]>;
  /** Work done once per batch (keys, payload prefix, provider token), shared by every send. */
  prepare(deps: Deps, job: BatchJob, notification: NotificationRow): Promise<P>;
  /** Sends to one recipient and classifies the answer. Never throws for a provider's answer. */
  send(prepared: P, recipient: R, attempt: number): Promise<SendResult>;
  /** Marks recipients whose address is gone (`gone` outcomes) as unusable. */
  prune(deps: Deps, siteId: string, recipientIds: string[], now: number): Promise<void>;
  /** Shows the site a `configProblem` a send ran into (e.g. its VAPID keys were refused). */
  reportConfigProblem(deps: Deps, siteId: string, problem: string): Promise<void>;
}
