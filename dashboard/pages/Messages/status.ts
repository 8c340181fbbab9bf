// How the messages pages (and a user's "Messages received") word and colour what happened:
// per-delivery statuses, per-channel states, a channel's counts in one line, and a message's
// audience in words.
import { CHANNEL_IDS, CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import { fmtInt } from "../../lib/format";
import type { ChannelState, MessageChannelStatus, MessageRecord, RecipientStatus } from "../../types";

/** A delivery's status as the API reports it: what was sent, or what the provider said later.
 *  "pruned" is an address found gone (a push subscription expired, a token unregistered). */
const STATUS_LABELS: Record<RecipientStatus, string> = {
  sent: "sent", delivered: "delivered", failed: "failed", bounced: "bounced", undelivered: "undelivered", pruned: "unreachable",
  // Held back by the user's preferences (issue #9 §3).
  skipped: "opted out", deferred: "quiet hours", digested: "in a digest",
};
export const RECIPIENT_STATUSES = Object.keys(STATUS_LABELS) as RecipientStatus[];
export const statusLabel = (s: string) => STATUS_LABELS[s as RecipientStatus] ?? s.replace(/_/g, " ");
export const STATUS_TONES: Record<string, string> = {
  sent: "blue", delivered: "green", failed: "red", bounced: "red", undelivered: "red", pruned: "grey",
  skipped: "grey", deferred: "amber", digested: "violet",
};

export const STATE_LABELS: Record<ChannelState, string> = { queued: "queued", sending: "sending", done: "done", no_recipients: "nobody to reach" };
export const STATE_TONES: Record<ChannelState, string> = { queued: "grey", sending: "amber", done: "green", no_recipients: "grey" };

/** The message's channels in the contract's order (the API's object order is not a promise). */
export const channelsOf = (m: MessageRecord) =>
  CHANNEL_IDS.filter((c) => m.channels[c]).map((c) => [c, m.channels[c]!] as [ChannelId, MessageChannelStatus]);

/** "198 sent · 12 delivered · 2 failed": the counts that are not zero (sent always), or the state. */
export function countsLine(s: MessageChannelStatus): string {
  if (s.state === "no_recipients") return "nobody to reach";
  if (s.state === "queued") return s.targeted ? `${fmtInt(s.targeted)} queued` : "queued";
  const parts = [`${fmtInt(s.sent)} sent`];
  if (s.delivered) parts.push(`${fmtInt(s.delivered)} delivered`);
  if (s.failed) parts.push(`${fmtInt(s.failed)} failed`);
  if (s.unreachable) parts.push(`${fmtInt(s.unreachable)} unreachable`);
  if (s.skipped) parts.push(`${fmtInt(s.skipped)} opted out`);
  if (s.deferred) parts.push(`${fmtInt(s.deferred)} in quiet hours`);
  if (s.digested) parts.push(`${fmtInt(s.digested)} in a digest`);
  return parts.join(" · ");
}

/** "Email: 198 sent · 2 failed" */
export const chipText = (c: ChannelId, s: MessageChannelStatus) => `${CHANNEL_LABELS[c]}: ${countsLine(s)}`;

/** A chip's tone: red when something failed, amber while going out, green once done. */
export const chipTone = (s: MessageChannelStatus) => (s.failed ? "red" : s.state === "sending" ? "amber" : s.state === "done" ? "green" : "grey");

/** Still moving: its counts can change without anyone doing anything. */
export const isLive = (m: MessageRecord) =>
  m.status === "sending" || channelsOf(m).some(([, s]) => s.state === "queued" || s.state === "sending");

/** "Template order-shipped v3", or null for inline content. */
export const templateText = (m: MessageRecord) => (m.template ? `Template ${m.template.key} v${m.template.version}` : null);

/** Who a message went to, in words; never throws on an unexpected shape. */
export function describeTo(to: MessageRecord["to"]): string {
  if (!to || typeof to !== "object") return "—";
  const t = to as Record<string, unknown>;
  const count = (v: unknown, one: string, many: string) => (Array.isArray(v) ? `${fmtInt(v.length)} ${v.length === 1 ? one : many}` : null);
  if (t.all === true) return "Everyone";
  if (Array.isArray(t.external_ids)) {
    const ids = t.external_ids as unknown[];
    return ids.length === 1 && typeof ids[0] === "string" ? `User ${ids[0]}` : count(ids, "user", "users")!;
  }
  if (Array.isArray(t.subscriber_ids)) return count(t.subscriber_ids, "chosen subscriber", "chosen subscribers")!;
  if (t.tags && typeof t.tags === "object") return "Subscribers by tag";
  return "—";
}
