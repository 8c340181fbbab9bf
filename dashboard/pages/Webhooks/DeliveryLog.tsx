// One endpoint's delivery log: every attempt, newest first, filtered by status, in cursor pages
// (a stack of cursors gives "Previous"). Each row says what the receiver answered — its status
// code and the start of its body, or why Herald got no answer — and can be replayed: the same
// event sent again now, with the same webhook-id, its result added to the log.
import { useState } from "preact/hooks";
import { Badge, Button, Empty, ErrorState, Loading, SelectField } from "../../components/ui";
import { fmtDate, fmtRelative } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { toast } from "../../state/toasts";
import { WEBHOOK_MAX_ATTEMPTS_SHOWN } from "./format";
import { type WebhookDeliveryView, type WebhookEndpointView, webhooksApi } from "./api";

const PAGE_SIZE = 25;
const STATUS_TONES: Record<string, string> = { succeeded: "green", failed: "red", pending: "amber", skipped: "grey" };

function attemptLabel(d: WebhookDeliveryView) {
  if (d.kind === "replay") return "Replay";
  if (d.kind === "test") return "Test";
  return `Attempt ${d.attempt} of ${WEBHOOK_MAX_ATTEMPTS_SHOWN}`;
}

function Answer({ d }: { d: WebhookDeliveryView }) {
  if (d.status === "pending") return <span class="muted">{d.next_attempt_at ? `Due ${fmtRelative(d.next_attempt_at)}` : "Sending…"}</span>;
  return (
    <div class="webhook-answer">
      {d.response_status !== null && <strong>HTTP {d.response_status}</strong>}
      {d.duration_ms !== null && <span class="muted small"> · {d.duration_ms} ms</span>}
      {d.error_detail && <span class="small webhook-error">{d.error_detail}</span>}
      {d.response_body && (
        <details class="small">
          <summary>Response body</summary>
          <pre class="webhook-body">{d.response_body}</pre>
        </details>
      )}
      {d.status === "failed" && d.next_attempt_at && d.next_attempt_at > Date.now() && <span class="muted small">Next attempt {fmtRelative(d.next_attempt_at)}</span>}
    </div>
  );
}

export function DeliveryLog({ siteId, endpoint, writable, refreshKey }: { siteId: string; endpoint: WebhookEndpointView; writable: boolean; refreshKey: number }) {
  const [status, setStatus] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [replaying, setReplaying] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  const res = useResource(
    () => webhooksApi.deliveries(siteId, endpoint.id, { status: status || undefined, cursor, limit: PAGE_SIZE }),
    [siteId, endpoint.id, status, cursor, refreshKey],
  );
  const rows = res.data?.data ?? [];

  const replay = async (d: WebhookDeliveryView) => {
    setReplaying(d.id);
    try {
      const again = await webhooksApi.replay(siteId, endpoint.id, d.id);
      toast(again.status === "succeeded" ? `Replayed: the endpoint answered HTTP ${again.response_status}` : `Replay failed: ${again.error_detail ?? again.error}`, again.status === "succeeded" ? "ok" : "error");
      setCursors([null]);
      await res.reload();
    } catch (err) {
      toast(toApiError(err).message, "error");
    } finally {
      setReplaying(null);
    }
  };

  return (
    <section class="webhook-log" aria-label={`Delivery log of ${endpoint.url}`}>
      <div class="webhook-log-head">
        <div>
          <h2>Delivery log</h2>
          <p class="muted small webhook-url-text">{endpoint.url}</p>
        </div>
        <div class="webhook-log-filter">
          <SelectField label="Status" value={status} onValue={(v) => (setStatus(v), setCursors([null]))}
            options={[["", "All"], ["succeeded", "Succeeded"], ["failed", "Failed"], ["pending", "Pending"], ["skipped", "Skipped"]]} />
          <Button size="sm" onClick={() => void res.reload()} busy={res.loading && !!res.data}>Refresh</Button>
        </div>
      </div>
      {res.loading && !res.data && <Loading label="Loading deliveries…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="the delivery log" />}
      {res.data && rows.length === 0 && (
        <Empty title={status ? "No deliveries with this status" : "No deliveries yet"}>
          Events sent to this endpoint appear here with the answer they got. Send a test event to try it.
        </Empty>
      )}
      {rows.length > 0 && (
        <div class={`table-wrap ${res.loading ? "is-loading" : ""}`}>
          <table class="table table-stack">
            <thead>
              <tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempt</th><th scope="col">Answer</th><th scope="col">When</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-testid="delivery">
                  <td class="cell-main"><code>{d.event_type}</code><span class="muted small webhook-id" title="webhook-id header">{d.webhook_id}</span></td>
                  <td data-label="Status"><Badge tone={STATUS_TONES[d.status]}>{d.status}</Badge></td>
                  <td data-label="Attempt">{attemptLabel(d)}</td>
                  <td data-label="Answer" class="cell-wide"><Answer d={d} /></td>
                  <td data-label="When"><span title={fmtDate(d.attempted_at ?? d.created_at)}>{fmtRelative(d.attempted_at ?? d.created_at)}</span></td>
                  <td class="num cell-actions">
                    {writable && d.status !== "pending" && (
                      <Button size="sm" variant="ghost" busy={replaying === d.id} onClick={() => replay(d)} aria-label={`Replay ${d.event_type} (${d.id})`}>Replay</Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(cursors.length > 1 || res.data?.next_cursor) && (
        <nav class="pager" aria-label="Delivery log pages">
          <Button disabled={cursors.length < 2 || res.loading} onClick={() => setCursors(cursors.slice(0, -1))}>← Newer</Button>
          <span class="muted">Page {cursors.length}</span>
          <Button disabled={!res.data?.next_cursor || res.loading} onClick={() => setCursors([...cursors, res.data!.next_cursor])}>Older →</Button>
        </nav>
      )}
    </section>
  );
}
