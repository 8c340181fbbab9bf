// Notifications: status and key numbers, filtered by status, cursor-paginated ("Load more").
import { useState } from "preact/hooks";
import { api } from "../../api";
import { Badge, Button, Empty, ErrorState, Loading, PageHeader, SelectField } from "../../components/ui";
import { fmtDate, fmtInt, fmtPct, fmtRelative, validMs } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import type { NotificationRecord } from "../../types";

const STATUSES: [string, string][] = [["", "All statuses"], ["draft", "Drafts"], ["scheduled", "Scheduled"], ["sending", "Sending"], ["completed", "Completed"], ["cancelled", "Cancelled"], ["failed", "Failed"]];
const PAGE_SIZE = 25;

function when(n: NotificationRecord, tz: string) {
  if (n.status === "scheduled") return validMs(n.scheduled_at) !== null ? `Scheduled ${fmtDate(n.scheduled_at, tz)}` : "Scheduled (date unreadable)";
  if (n.completed_at) return `Sent ${fmtRelative(n.completed_at)}`;
  if (n.started_at) return `Started ${fmtRelative(n.started_at)}`;
  return `Created ${fmtRelative(n.created_at)}`;
}

export default function Notifications() {
  const site = currentSite.value!;
  const [status, setStatus] = useState("");
  const [extra, setExtra] = useState<{ items: NotificationRecord[]; cursor: string | null; loading: boolean; error: string | null }>({ items: [], cursor: null, loading: false, error: null });
  const res = useResource(async () => {
    const page = await api.notifications(site.id, { status, limit: PAGE_SIZE });
    setExtra({ items: [], cursor: page.next_cursor, loading: false, error: null });
    return page;
  }, [site.id, status]);
  const rows = [...(res.data?.data ?? []), ...extra.items];
  const more = async () => {
    setExtra((x) => ({ ...x, loading: true, error: null }));
    try {
      const page = await api.notifications(site.id, { status, limit: PAGE_SIZE, cursor: extra.cursor });
      setExtra((x) => ({ items: [...x.items, ...page.data], cursor: page.next_cursor, loading: false, error: null }));
    } catch (e) {
      setExtra((x) => ({ ...x, loading: false, error: toApiError(e).message }));
    }
  };

  return (
    <div class="page">
      <PageHeader title="Notifications" actions={can("notifications:write") && <a class="btn btn-primary btn-md" href={`/sites/${site.id}/compose`}>New notification</a>} />
      <div class="filters">
        <SelectField label="Status" value={status} onValue={setStatus} options={STATUSES} />
      </div>
      {res.loading && !res.data && <Loading label="Loading notifications…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="notifications" />}
      {res.data && rows.length === 0 && (
        <Empty title={status ? "No notifications with this status" : "No notifications yet"}
          action={!status && can("notifications:write") && <a class="btn btn-primary btn-md" href={`/sites/${site.id}/compose`}>Write your first notification</a>}>
          {status ? "Try another filter." : "Drafts, scheduled and sent notifications will be listed here."}
        </Empty>
      )}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table table-fit">
            <thead>
              <tr><th scope="col">Notification</th><th scope="col">Status</th><th scope="col" class="num hide-sm">Targeted</th><th scope="col" class="num hide-sm">Sent</th><th scope="col" class="num hide-sm">Clicks</th><th scope="col" class="num hide-sm">CTR</th></tr>
            </thead>
            <tbody>
              {rows.map((raw) => {
                // Drafts and scheduled sends have no results yet: show dashes, not zeros.
                const n = raw.status === "draft" || raw.status === "scheduled" ? { ...raw, stats: null } : raw;
                return (
                <tr key={n.id}>
                  <td class="cell-main">
                    <a href={`/sites/${site.id}/notifications/${n.id}`}>{n.title || "Untitled notification"}</a>
                    <span class="muted small">{when(n, site.settings.timezone)}</span>
                    {n.stats && <span class="muted small show-sm">{fmtInt(n.stats.targeted ?? null)} targeted · {fmtInt(n.stats.clicks ?? null)} clicks · CTR {fmtPct(n.stats.ctr ?? null)}</span>}
                  </td>
                  <td><Badge>{n.status}</Badge></td>
                  <td class="num hide-sm">{fmtInt(n.stats?.targeted ?? null)}</td>
                  <td class="num hide-sm">{fmtInt(n.stats?.sent ?? null)}</td>
                  <td class="num hide-sm">{fmtInt(n.stats?.clicks ?? null)}</td>
                  <td class="num hide-sm">{fmtPct(n.stats?.ctr ?? null)}</td>
                </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {extra.error && <p class="field-error" role="alert">{extra.error}</p>}
      {extra.cursor && <div class="load-more"><Button onClick={more} busy={extra.loading}>Load more</Button></div>}
    </div>
  );
}
