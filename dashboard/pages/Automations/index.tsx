// Automations (issue #10): sends that run by themselves. Recurring notifications: each series
// with its rule in words, status, next runs, last error and its runs' numbers; pause, resume,
// delete (new series are made in Compose, "Repeat"). Welcome drips: Drips.tsx; RSS feeds:
// Feeds.tsx; webhook triggers: Triggers.tsx.
import { useState } from "preact/hooks";
import { Alert, Badge, Button, Card, Dialog, Empty, ErrorState, Loading, PageHeader } from "../../components/ui";
import { fmtDate, fmtInt } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import { type RunView, type SeriesView, recurrenceInWords, recurringApi } from "./api";
import { DripsCard } from "./Drips";
import { FeedsCard } from "./Feeds";
import { TriggersCard } from "./Triggers";
import "./automations.css";

const STATUS_TONES: Record<string, string> = { active: "green", paused: "amber", ended: "grey" };

function Runs({ siteId, series }: { siteId: string; series: SeriesView }) {
  const res = useResource(() => recurringApi.runs(siteId, series.id).then((r) => r.data), [siteId, series.id, series.runs_count]);
  if (res.loading) return <Loading label="Loading runs…" />;
  if (res.error) return <ErrorState error={res.error} retry={res.reload} what="the runs" />;
  const runs: RunView[] = res.data ?? [];
  if (!runs.length) return <p class="muted small">No runs yet.</p>;
  return (
    <table class="table table-fit runs-table">
      <thead><tr><th>Run</th><th>Status</th><th class="num">Sent</th><th class="num">Clicks</th></tr></thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.date}>
            <td><a href={`/sites/${siteId}/notifications/${r.notification_id}`}>{r.date}</a></td>
            <td>{r.status ?? "deleted"}</td>
            <td class="num">{fmtInt(r.stats?.sent ?? 0)}</td>
            <td class="num">{fmtInt(r.stats?.clicks ?? 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SeriesCard({ s, onChange, onDelete }: { s: SeriesView; onChange: (s: SeriesView) => void; onDelete: () => void }) {
  const site = currentSite.value!;
  const tz = site.settings.timezone;
  const writable = can("notifications:send");
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const toggle = async () => {
    setBusy(true);
    try {
      const next = s.status === "paused" ? await recurringApi.resume(site.id, s.id) : await recurringApi.pause(site.id, s.id);
      onChange(next);
      toast(next.status === "paused" ? `${s.name} paused` : `${s.name} resumed`);
    } catch (e) {
      toast(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="series" data-testid="series">
      <div class="series-head">
        <div class="series-main">
          <div><strong>{s.name}</strong> <Badge tone={STATUS_TONES[s.status]}>{s.status}</Badge></div>
          <span class="small">{recurrenceInWords(s.recurrence, tz)}</span>
          <span class="muted small">
            {s.status === "active" && s.next_run_at ? `Next: ${fmtDate(s.next_run_at, tz)}` : s.status === "paused" ? "Paused: no runs until resumed" : "Ended: no more runs"}
            {" · "}{fmtInt(s.runs_count)} run{s.runs_count === 1 ? "" : "s"} so far
          </span>
          {s.last_error && <Alert tone="warn">The last run could not be sent: {s.last_error}</Alert>}
        </div>
        <div class="series-actions">
          <Button size="sm" variant="ghost" onClick={() => setOpen(!open)} aria-expanded={open}>{open ? "Hide runs" : "Runs"}</Button>
          {writable && s.status !== "ended" && <Button size="sm" variant="ghost" busy={busy} onClick={toggle}>{s.status === "paused" ? "Resume" : "Pause"}</Button>}
          {writable && <Button size="sm" variant="ghost" onClick={onDelete} aria-label={`Delete ${s.name}`}>Delete</Button>}
        </div>
      </div>
      {open && (
        <div class="series-runs">
          {s.next_runs.length > 0 && <p class="small">Coming up: {s.next_runs.map((r) => fmtDate(r.at, tz)).join(" · ")}</p>}
          <Runs siteId={site.id} series={s} />
        </div>
      )}
    </li>
  );
}

export default function Automations() {
  const site = currentSite.value!;
  const res = useResource(() => recurringApi.list(site.id).then((r) => r.data), [site.id]);
  const [list, setList] = useState<SeriesView[] | null>(null);
  const [deleting, setDeleting] = useState<SeriesView | null>(null);
  const [busy, setBusy] = useState(false);
  const series = list ?? res.data ?? [];
  const compose = `/sites/${site.id}/compose?when=repeat`;

  const remove = async (s: SeriesView) => {
    setBusy(true);
    try {
      await recurringApi.remove(site.id, s.id);
      setList(series.filter((x) => x.id !== s.id));
      toast(`${s.name} deleted`);
      setDeleting(null);
    } catch (e) {
      toast(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageHeader title="Automations" subtitle="Notifications that go out by themselves, on a schedule."
        actions={can("notifications:send") ? <a class="btn btn-primary btn-md" href={compose}>New recurring notification</a> : undefined} />
      {res.loading && <Loading label="Loading automations…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="automations" />}
      {res.data && series.length === 0 && (
        <Card title="Recurring notifications">
          <Empty title="No recurring notifications yet" action={can("notifications:send") ? <a class="btn btn-primary btn-md" href={compose}>Compose one</a> : undefined}>
            A recurring notification sends the same campaign on a schedule — a weekly tip, a monthly reminder — at a time in your timezone or on each subscriber's own clock. In Compose, pick “Repeat” under When.
          </Empty>
        </Card>
      )}
      {series.length > 0 && (
        <Card title="Recurring notifications">
          <ul class="series-list">
            {series.map((s) => (
              <SeriesCard key={s.id} s={s} onChange={(n) => setList(series.map((x) => (x.id === n.id ? n : x)))} onDelete={() => setDeleting(s)} />
            ))}
          </ul>
        </Card>
      )}
      <DripsCard />
      <FeedsCard />
      <TriggersCard />
      <Dialog open={!!deleting} title={`Delete ${deleting?.name ?? ""}?`} onClose={() => setDeleting(null)}
        actions={<><Button onClick={() => setDeleting(null)}>Cancel</Button><Button variant="danger" busy={busy} onClick={() => deleting && remove(deleting)}>Delete</Button></>}>
        <p>No more runs will be sent. Runs already sent keep their notifications and numbers.</p>
      </Dialog>
    </div>
  );
}
