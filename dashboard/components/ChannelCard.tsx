// One channel of a send — a message or a campaign: its state, its counts and why deliveries
// failed (each reason in the words of the failure-reason contract, as the API labels it). With
// `show` (a message's page), buttons narrow the recipients table to this channel, or to the
// deliveries behind one failure reason; without it the reasons are plain text. Its look lives
// with the messages pages' styles (.chan-cards, .chan-counts, .chan-reasons).
import { CHANNEL_LABELS, type ChannelId } from "../../workers/contracts/channels";
import { STATE_LABELS, STATE_TONES } from "../pages/Messages/status";
import "../pages/Messages/messages.css";
import { fmtInt } from "../lib/format";
import type { MessageChannelStatus, RecipientStatus } from "../types";
import { Badge, Button, Card } from "./ui";

/** Channels whose provider reports delivery later (SendGrid events, Twilio status callbacks).
 *  A push service only accepts a message, so "delivered" would read as a failure there. */
const REPORTS_DELIVERY: readonly ChannelId[] = ["email", "sms", "whatsapp"];

/** The recipients filter that lists a reason's deliveries: a failure the provider reported later
 *  is keyed by its status (bounced, undelivered); every other reason is a failed send. */
const filterFor = (reason: string): RecipientStatus => (reason === "bounced" || reason === "undelivered" ? reason : "failed");

export function ChannelCard({ channel, s, show }: { channel: ChannelId; s: MessageChannelStatus; show?: (channel: ChannelId, status: RecipientStatus | "") => void }) {
  const reasons = Object.entries(s.failed_by_reason ?? {}).sort((a, b) => b[1].count - a[1].count);
  const counts: [string, number][] = [
    ["Targeted", s.targeted],
    ["Sent", s.sent],
    ...(REPORTS_DELIVERY.includes(channel) || s.delivered ? [["Delivered", s.delivered] as [string, number]] : []),
    ["Failed", s.failed],
    ...(s.unreachable ? [["Unreachable", s.unreachable] as [string, number]] : []),
    // What the one send decision held back (issues #9 §3, #10 §2: opt-outs, caps, quiet hours, local time, digests), shown when there is any.
    ...(s.skipped ? [["Skipped (opted out or capped)", s.skipped] as [string, number]] : []),
    ...(s.deferred ? [["Waiting for their time", s.deferred] as [string, number]] : []),
    ...(s.digested ? [["In a digest", s.digested] as [string, number]] : []),
  ];
  return (
    <Card title={CHANNEL_LABELS[channel] ?? channel} actions={<Badge tone={STATE_TONES[s.state]}>{STATE_LABELS[s.state] ?? s.state}</Badge>}>
      {s.state === "no_recipients" ? (
        <p class="muted">Nobody in the audience can be reached on this channel: no address, device or subscription for it.</p>
      ) : (
        <dl class="chan-counts">
          {counts.map(([label, n]) => <div key={label}><dt>{label}</dt><dd>{fmtInt(n)}</dd></div>)}
        </dl>
      )}
      {reasons.length > 0 && (
        <div>
          <h3 class="small muted">Why deliveries failed</h3>
          <ul class="chan-reasons">
            {reasons.map(([code, r]) => (
              <li key={code}>
                {show ? <button type="button" class="link-button" onClick={() => show(channel, filterFor(code))} aria-label={`Show recipients: ${r.label}`}>{r.label}</button> : <span>{r.label}</span>}
                <strong>{fmtInt(r.count)}</strong>
              </li>
            ))}
          </ul>
        </div>
      )}
      {s.unreachable > 0 && <p class="muted small">Unreachable: the address or device was found gone, and is skipped from now on.</p>}
      {show && s.state !== "no_recipients" && s.state !== "queued" && (
        <div class="chan-card-foot form-actions form-actions-start">
          <Button size="sm" onClick={() => show(channel, "")}>See recipients</Button>
        </div>
      )}
    </Card>
  );
}
