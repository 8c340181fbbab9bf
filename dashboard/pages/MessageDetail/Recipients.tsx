// A message's recipients, one row per recipient and channel: who (their user id, or the push
// subscription), where (e-mail address or phone), what happened (and why, with the provider's
// own code), and when. Filtered by channel and status; cursor-paged with "Previous".
import { CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import { Badge, Button, Card, ErrorState, Loading, SelectField } from "../../components/ui";
import { fmtDate } from "../../lib/format";
import { useResource } from "../../lib/use-resource";
import type { MessageRecipient, RecipientStatus } from "../../types";
import { messagesApi } from "../Messages/api";
import { RECIPIENT_STATUSES, STATUS_TONES, statusLabel } from "../Messages/status";
import { userHref } from "../Users/api";

const PAGE_SIZE = 50;
const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface RecipientsView { channel: ChannelId | ""; status: RecipientStatus | ""; cursors: (string | null)[] }

function Who({ siteId, r }: { siteId: string; r: MessageRecipient }) {
  const main = r.external_id
    ? <a href={userHref(siteId, r.external_id)} class="break">{r.external_id}</a>
    : r.channel === "web_push"
      ? <a href={`/sites/${siteId}/subscribers/${r.recipient_id}`}>Anonymous subscriber</a>
      : <code>{r.recipient_id}</code>;
  return <>{main}{r.address && <span class="muted small break">{r.address}</span>}</>;
}

export function Recipients({ siteId, messageId, channels, view, setView, version }: {
  siteId: string; messageId: string; channels: ChannelId[]; view: RecipientsView; setView: (v: RecipientsView) => void;
  /** Changes when the message's counts do: the first page is read again (later pages stay put). */
  version: string;
}) {
  const cursor = view.cursors[view.cursors.length - 1];
  const res = useResource(
    () => messagesApi.recipients(siteId, messageId, { channel: view.channel, status: view.status, cursor, limit: PAGE_SIZE }),
    [siteId, messageId, view.channel, view.status, cursor, cursor ? "" : version],
  );
  const rows = res.data?.data ?? [];
  const filter = (patch: Partial<RecipientsView>) => setView({ ...view, ...patch, cursors: [null] });
  const filtered = view.channel || view.status;

  return (
    <Card title="Recipients" class="card-table">
      <div class="filters">
        <SelectField label="Channel" value={view.channel} onValue={(channel) => filter({ channel: channel as ChannelId | "" })}
          options={[["", "All channels"], ...channels.map((c): [string, string] => [c, CHANNEL_LABELS[c]])]} />
        <SelectField label="Status" value={view.status} onValue={(status) => filter({ status: status as RecipientStatus | "" })}
          options={[["", "Any status"], ...RECIPIENT_STATUSES.map((s): [string, string] => [s, capitalized(statusLabel(s))])]} />
        {filtered && <Button variant="ghost" onClick={() => filter({ channel: "", status: "" })}>Clear filters</Button>}
      </div>
      {res.loading && !res.data && <Loading label="Loading recipients…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="the recipients" />}
      {res.data && rows.length === 0 && (
        <p class="muted">{filtered ? "No recipient matches these filters." : "No deliveries recorded yet. Recipients appear here as each channel sends."}</p>
      )}
      {rows.length > 0 && (
        <table class="table table-stack">
          <thead>
            <tr><th scope="col">Recipient</th><th scope="col">Channel</th><th scope="col">Status</th><th scope="col">Updated</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.channel}:${r.recipient_id}`}>
                <td class="cell-main"><Who siteId={siteId} r={r} /></td>
                <td data-label="Channel">{CHANNEL_LABELS[r.channel] ?? r.channel}</td>
                <td data-label="Status">
                  <Badge tone={STATUS_TONES[r.status]}>{statusLabel(r.status)}</Badge>
                  {r.reason_label && <span class="reason-line">{r.reason_label}{r.provider_code ? ` (provider code ${r.provider_code})` : r.http_status ? ` (HTTP ${r.http_status})` : ""}</span>}
                </td>
                <td data-label="Updated" title={r.status_at !== r.sent_at ? `Sent ${fmtDate(r.sent_at)}` : undefined}>{fmtDate(r.status_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(view.cursors.length > 1 || res.data?.next_cursor) && (
        <nav class="pager" aria-label="Recipient pages">
          <Button disabled={view.cursors.length < 2 || res.loading} onClick={() => setView({ ...view, cursors: view.cursors.slice(0, -1) })}>← Previous</Button>
          <span class="muted">Page {view.cursors.length}</span>
          <Button disabled={!res.data?.next_cursor || res.loading} onClick={() => setView({ ...view, cursors: [...view.cursors, res.data!.next_cursor] })}>Next →</Button>
        </nav>
      )}
    </Card>
  );
}
