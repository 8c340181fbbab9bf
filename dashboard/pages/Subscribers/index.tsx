// Subscribers: filter by tag, browser, country and status; cursor pagination (a stack of
// cursors gives "Previous"); CSV export of the filtered list for admins.
import { useState } from "preact/hooks";
import { api } from "../../api";
import { Badge, Button, Empty, ErrorState, Loading, PageHeader, SelectField, TextField } from "../../components/ui";
import { download } from "../../lib/download";
import { fmtRelative, validMs } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { Subscriber } from "../../types";

const PAGE_SIZE = 50;
/** The CSV export walks the cursor; past this many rows use the API directly. */
const EXPORT_MAX_ROWS = 20_000;

interface Filters { tag: string; browser: string; country: string; active: string }

function csv(rows: Subscriber[]) {
  const cols = ["id", "external_id", "tags", "browser", "os", "language", "timezone", "country", "active", "subscribed_at", "last_seen_at"] as const;
  const cell = (v: unknown) => {
    const t = typeof v === "number" && v > 1e12 ? validMs(v) : null;
    const s = Array.isArray(v) ? v.join(" ") : t !== null ? new Date(t).toISOString() : v == null ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(","), ...rows.map((r) => cols.map((c) => cell(r[c])).join(","))].join("\n");
}

export default function Subscribers() {
  const site = currentSite.value!;
  const [draft, setDraft] = useState<Filters>({ tag: "", browser: "", country: "", active: "true" });
  const [filters, setFilters] = useState<Filters>(draft);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [exporting, setExporting] = useState(false);
  const cursor = cursors[cursors.length - 1];
  const res = useResource(() => api.subscribers(site.id, { ...filters, limit: PAGE_SIZE, cursor }), [site.id, JSON.stringify(filters), cursor]);
  const rows = res.data?.data ?? [];

  const apply = (e: Event) => {
    e.preventDefault();
    setFilters(draft);
    setCursors([null]);
  };
  const exportCsv = async () => {
    setExporting(true);
    try {
      const all: Subscriber[] = [];
      let next: string | null = null;
      do {
        const page = await api.subscribers(site.id, { ...filters, limit: 200, cursor: next });
        all.push(...page.data);
        next = page.next_cursor;
      } while (next && all.length < EXPORT_MAX_ROWS);
      download(`${site.name.replace(/\W+/g, "-").toLowerCase()}-subscribers.csv`, csv(all), "text/csv");
      toast(`Exported ${all.length} subscribers`);
    } catch (e) {
      toast(toApiError(e).message, "error");
    } finally {
      setExporting(false);
    }
  };

  return (
    <div class="page">
      <PageHeader title="Subscribers" actions={can("subscribers:write") && rows.length > 0 && <Button onClick={exportCsv} busy={exporting}>Export CSV</Button>} />
      <form class="filters" onSubmit={apply}>
        <TextField label="Tag" placeholder="vip" value={draft.tag} onValue={(tag) => setDraft({ ...draft, tag })} />
        <SelectField label="Browser" value={draft.browser} onValue={(browser) => setDraft({ ...draft, browser })}
          options={[["", "Any browser"], "chrome", "firefox", "safari", "edge", "opera", "samsung"]} />
        <TextField label="Country" placeholder="FR" maxLength={2} value={draft.country} onValue={(country) => setDraft({ ...draft, country: country.toUpperCase() })} />
        <SelectField label="Status" value={draft.active} onValue={(active) => setDraft({ ...draft, active })}
          options={[["true", "Active"], ["false", "Unsubscribed"], ["", "All"]]} />
        <Button type="submit" variant="primary">Apply filters</Button>
      </form>
      {res.loading && !res.data && <Loading label="Loading subscribers…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="subscribers" />}
      {res.data && rows.length === 0 && (
        <Empty title={cursors.length > 1 || Object.values(filters).some((v) => v && v !== "true") ? "No subscribers match these filters" : "No subscribers yet"}
          action={<a class="btn btn-secondary btn-md" href={`/sites/${site.id}/install`}>Check your installation</a>}>
          Visitors who accept notifications on your site appear here within seconds.
        </Empty>
      )}
      {rows.length > 0 && (
        <div class={`table-wrap ${res.loading ? "is-loading" : ""}`}>
          <table class="table table-stack">
            <thead>
              <tr><th scope="col">Subscriber</th><th scope="col">Browser</th><th scope="col">Country</th><th scope="col">Tags</th><th scope="col">Status</th><th scope="col">Subscribed</th></tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td class="cell-main">
                    <a href={`/sites/${site.id}/subscribers/${s.id}`}><code>{s.id.slice(0, 14)}</code></a>
                    {s.external_id && <span class="muted small">{s.external_id}</span>}
                  </td>
                  <td data-label="Browser">{[s.browser, s.os].filter(Boolean).join(" · ") || "—"}</td>
                  <td data-label="Country">{s.country ?? "—"}</td>
                  <td data-label="Tags">{s.tags?.length ? <span class="tags">{s.tags.map((t) => <span class="tag" key={t}>{t}</span>)}</span> : <span class="muted">—</span>}</td>
                  <td data-label="Status"><Badge>{s.active ? "active" : "inactive"}</Badge></td>
                  <td data-label="Subscribed">{fmtRelative(s.subscribed_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(cursors.length > 1 || res.data?.next_cursor) && (
        <nav class="pager" aria-label="Pages">
          <Button disabled={cursors.length < 2 || res.loading} onClick={() => setCursors(cursors.slice(0, -1))}>← Previous</Button>
          <span class="muted">Page {cursors.length}</span>
          <Button disabled={!res.data?.next_cursor || res.loading} onClick={() => setCursors([...cursors, res.data!.next_cursor])}>Next →</Button>
        </nav>
      )}
    </div>
  );
}
