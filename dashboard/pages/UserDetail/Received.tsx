// What a user received, newest first, on every channel: one row per delivery (a campaign to two
// of their browsers is two rows), with its outcome and, for a failure, the reason in words.
// Each row links to its message or campaign. "Load more" walks the API's cursor.
import { useState } from "preact/hooks";
import { isHoldReason } from "../../../workers/contracts/failure-reasons";
import { CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import { Badge, Button, Card, ErrorState, Loading } from "../../components/ui";
import { fmtDate } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import type { UserDelivery } from "../../types";
import { usersApi } from "../Users/api";
import { STATUS_TONES, statusLabel } from "../Messages/status";

export function Received({ siteId, externalId }: { siteId: string; externalId: string }) {
  const [extra, setExtra] = useState<{ items: UserDelivery[]; cursor: string | null; loading: boolean; error: string | null }>({ items: [], cursor: null, loading: false, error: null });
  const res = useResource(async () => {
    const page = await usersApi.messages(siteId, externalId, null);
    setExtra({ items: [], cursor: page.next_cursor, loading: false, error: null });
    return page;
  }, [siteId, externalId]);
  const more = async () => {
    setExtra((x) => ({ ...x, loading: true, error: null }));
    try {
      const page = await usersApi.messages(siteId, externalId, extra.cursor);
      setExtra((x) => ({ items: [...x.items, ...page.data], cursor: page.next_cursor, loading: false, error: null }));
    } catch (e) {
      setExtra((x) => ({ ...x, loading: false, error: toApiError(e).message }));
    }
  };
  const rows = [...(res.data?.data ?? []), ...extra.items];
  const href = (r: UserDelivery) => `/sites/${siteId}/${r.kind === "message" ? "messages" : "notifications"}/${r.notification_id}`;

  return (
    <Card title="Messages received" class="card-table">
      {res.loading && !res.data && <Loading label="Loading messages…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="the messages this user received" />}
      {res.data && rows.length === 0 && <p class="muted">Nothing has been sent to this user yet.</p>}
      {rows.length > 0 && (
        <table class="table table-stack table-fit">
          <thead>
            <tr><th scope="col">Message</th><th scope="col">Channel</th><th scope="col">Status</th><th scope="col">When</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.notification_id}:${r.channel}:${r.recipient_id}`}>
                <td class="cell-main">
                  <a href={href(r)}>{r.headline || (r.kind === "message" ? "Message" : "Notification")}</a>
                  <span class="muted small">{r.kind === "message" ? "Message" : "Campaign"} <code>{r.notification_id.slice(0, 14)}</code></span>
                  {r.reason_label && <span class={`small ${isHoldReason(r.reason) ? "muted" : "field-error"}`}>{r.reason_label}</span>}
                </td>
                <td data-label="Channel">{CHANNEL_LABELS[r.channel as ChannelId] ?? r.channel}</td>
                <td data-label="Status"><Badge tone={STATUS_TONES[r.status]}>{statusLabel(r.status)}</Badge></td>
                <td data-label="When">{fmtDate(r.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {extra.error && <p class="field-error" role="alert">{extra.error}</p>}
      {extra.cursor && <div class="load-more"><Button onClick={more} busy={extra.loading}>Load more</Button></div>}
    </Card>
  );
}
