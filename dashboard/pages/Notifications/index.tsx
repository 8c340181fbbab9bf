// Notifications: status and key numbers, filtered by status, cursor-paginated ("Load more").
// "Show archived" (?archived=1) lists only the archived ones. Each row offers what its state
// allows (lib/notification-actions.ts): delete what never went out, archive what finished,
// unarchive what was archived. The numbers are web push's; a campaign on more channels (issue
// #8 §5) lists them under its name, with each one's counts once it has gone out.
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api } from "../../api";
import { Badge, Button, Checkbox, Dialog, Empty, ErrorState, Loading, PageHeader, SelectField } from "../../components/ui";
import { fmtDate, fmtInt, fmtPct, fmtRelative, validMs } from "../../lib/format";
import { deleteWording, notificationActions } from "../../lib/notification-actions";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { NotificationRecord } from "../../types";
import { type CampaignRecord, campaignChannels, channelList, hasOtherChannels } from "../Compose/campaign";
import "../Messages/messages.css";
import { chipText, chipTone } from "../Messages/status";

/** A multi-channel campaign's channels: in words before it goes out, then a chip each with its counts. */
function Channels({ n }: { n: CampaignRecord }) {
  if (!hasOtherChannels(n)) return null;
  const channels = campaignChannels(n);
  if (n.status === "draft" || n.status === "scheduled" || n.started_at == null) return <span class="muted small">{channelList(channels)}</span>;
  return (
    <ul class="chan-chips">
      {channels.map((c) => {
        const s = n.channels?.[c];
        return s && <li key={c} class={`chan-chip chan-${chipTone(s)}`}>{chipText(c, s)}</li>;
      })}
    </ul>
  );
}

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
  const { path, query, route } = useLocation();
  const archived = query.archived === "1";
  const [status, setStatus] = useState("");
  const [extra, setExtra] = useState<{ items: NotificationRecord[]; cursor: string | null; loading: boolean; error: string | null }>({ items: [], cursor: null, loading: false, error: null });
  // Rows acted on (archived, unarchived, deleted): they leave this list at once.
  const [gone, setGone] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<NotificationRecord | null>(null);
  const filter = { status, limit: PAGE_SIZE, archived: archived ? "true" : undefined };
  const res = useResource(async () => {
    const page = await api.notifications(site.id, filter);
    setExtra({ items: [], cursor: page.next_cursor, loading: false, error: null });
    setGone(new Set());
    return page;
  }, [site.id, status, archived]);
  const rows = [...(res.data?.data ?? []), ...extra.items].filter((n) => !gone.has(n.id));
  const more = async () => {
    setExtra((x) => ({ ...x, loading: true, error: null }));
    try {
      const page = await api.notifications(site.id, { ...filter, cursor: extra.cursor });
      setExtra((x) => ({ items: [...x.items, ...page.data], cursor: page.next_cursor, loading: false, error: null }));
    } catch (e) {
      setExtra((x) => ({ ...x, loading: false, error: toApiError(e).message }));
    }
  };
  const act = async (n: NotificationRecord, kind: "archive" | "unarchive" | "delete") => {
    setBusy(n.id);
    try {
      if (kind === "archive") await api.archiveNotification(site.id, n.id);
      if (kind === "unarchive") await api.unarchiveNotification(site.id, n.id);
      if (kind === "delete") await api.deleteNotification(site.id, n.id);
      setGone((g) => new Set(g).add(n.id));
      const title = `“${n.title || "Untitled notification"}”`;
      toast(kind === "archive" ? `${title} archived. Find it under Show archived.` : kind === "unarchive" ? `${title} is back in the list.` : deleteWording(n).done);
    } catch (e) {
      toast(toApiError(e).message, "error");
    } finally {
      setBusy(null);
      setDeleting(null);
    }
  };

  return (
    <div class="page">
      <PageHeader title="Notifications"
        subtitle={archived ? "Archived notifications: left out of the list, their statistics kept." : undefined}
        actions={can("notifications:write") && <a class="btn btn-primary btn-md" href={`/sites/${site.id}/compose`}>New notification</a>} />
      <div class="filters">
        <SelectField label="Status" value={status} onValue={setStatus} options={STATUSES} />
        <Checkbox label="Show archived" checked={archived} onChange={(on) => route(on ? `${path}?archived=1` : path, true)} />
      </div>
      {res.loading && !res.data && <Loading label="Loading notifications…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="notifications" />}
      {res.data && rows.length === 0 && (archived ? (
        <Empty title={status ? "No archived notifications with this status" : "No archived notifications"}>
          Archive a sent notification to leave it out of the list; its statistics are kept, and you can bring it back at any time.
        </Empty>
      ) : (
        <Empty title={status ? "No notifications with this status" : "No notifications yet"}
          action={!status && can("notifications:write") && <a class="btn btn-primary btn-md" href={`/sites/${site.id}/compose`}>Write your first notification</a>}>
          {status ? "Try another filter." : "Drafts, scheduled and sent notifications will be listed here."}
        </Empty>
      ))}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table table-fit table-stack notifications-table">
            <thead>
              <tr>
                <th scope="col">Notification</th><th scope="col">Status</th><th scope="col" class="num hide-sm">Targeted</th><th scope="col" class="num hide-sm">Sent</th>
                <th scope="col" class="num hide-sm">Clicks</th><th scope="col" class="num hide-sm">CTR</th><th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((raw) => {
                // Drafts and scheduled sends have no results yet: show dashes, not zeros.
                const n = raw.status === "draft" || raw.status === "scheduled" ? { ...raw, stats: null } : raw;
                const may = notificationActions(n);
                const name = n.title || "Untitled notification";
                return (
                <tr key={n.id}>
                  <td class="cell-main">
                    <a href={`/sites/${site.id}/notifications/${n.id}`}>{name}</a>
                    <span class="muted small">{when(n, site.settings.timezone)}{n.archived_at ? ` · archived ${fmtRelative(n.archived_at)}` : ""}</span>
                    <Channels n={raw as CampaignRecord} />
                    {n.stats && <span class="muted small show-sm">{fmtInt(n.stats.targeted ?? null)} targeted · {fmtInt(n.stats.clicks ?? null)} clicks · CTR {fmtPct(n.stats.ctr ?? null)}</span>}
                  </td>
                  <td><Badge>{n.status}</Badge></td>
                  <td class="num hide-sm">{fmtInt(n.stats?.targeted ?? null)}</td>
                  <td class="num hide-sm">{fmtInt(n.stats?.sent ?? null)}</td>
                  <td class="num hide-sm">{fmtInt(n.stats?.clicks ?? null)}</td>
                  <td class="num hide-sm">{fmtPct(n.stats?.ctr ?? null)}</td>
                  <td class="cell-actions">
                    {may.unarchive && <Button size="sm" variant="ghost" busy={busy === n.id} onClick={() => act(n, "unarchive")} aria-label={`Unarchive ${name}`}>Unarchive</Button>}
                    {may.archive && <Button size="sm" variant="ghost" busy={busy === n.id} onClick={() => act(n, "archive")} aria-label={`Archive ${name}`}>Archive</Button>}
                    {may.delete && <Button size="sm" variant="ghost" disabled={busy === n.id} onClick={() => setDeleting(n)} aria-label={`Delete ${name}`}>Delete</Button>}
                  </td>
                </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {extra.error && <p class="field-error" role="alert">{extra.error}</p>}
      {extra.cursor && <div class="load-more"><Button onClick={more} busy={extra.loading}>Load more</Button></div>}
      <Dialog open={!!deleting} title={deleting ? deleteWording(deleting).title : ""} onClose={() => setDeleting(null)}
        actions={<>
          <Button onClick={() => setDeleting(null)}>Keep it</Button>
          <Button variant="danger" busy={!!deleting && busy === deleting.id} onClick={() => deleting && act(deleting, "delete")}>Delete</Button>
        </>}>
        {deleting && <p>“{deleting.title || "Untitled notification"}” {deleteWording(deleting).text}</p>}
      </Dialog>
    </div>
  );
}
