// Templates: the site's message templates by key — which languages and channels each has, the
// version sends use, and whether the draft has unpublished changes — and a form to start one.
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { Button, Card, Empty, ErrorState, FormError, Loading, PageHeader, TextField } from "../../components/ui";
import { fmtRelative } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { CHANNELS } from "./fields";
import { templateHref, templatesApi } from "./api";
import { StatusBadge } from "./StatusBadge";
import "./templates.css";

/** "Order shipped" → "order-shipped": a key suggestion while the name is typed. */
const slug = (name: string) => name.toLowerCase().normalize("NFKD").replace(/[^\w\s-]/g, "").trim().replace(/[\s_]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);

function NewTemplate({ siteId }: { siteId: string }) {
  const { route } = useLocation();
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyTouched, setKeyTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await templatesApi.create(siteId, { key: key.trim(), name: name.trim() });
      route(templateHref(siteId, t.key));
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };
  return (
    <Card title="New template">
      <form class="form-grid" noValidate onSubmit={create}>
        <div class="grid-2">
          <TextField label="Name" placeholder="Order shipped" value={name} maxLength={200} error={error?.field("name")}
            onValue={(v) => { setName(v); if (!keyTouched) setKey(slug(v)); }} />
          <TextField label="Key" placeholder="order-shipped" value={key} maxLength={64} error={error?.field("key")}
            hint="What your code sends with: lower-case letters, digits, - and _. It cannot change later."
            onValue={(v) => { setKey(v); setKeyTouched(true); }} />
        </div>
        <FormError error={error} fields={["name", "key"]} />
        <div class="form-actions"><Button type="submit" variant="primary" busy={busy} disabled={!name.trim() || !key.trim()}>Create and edit</Button></div>
      </form>
    </Card>
  );
}

export default function Templates() {
  const site = currentSite.value!;
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1]!;
  const res = useResource(() => templatesApi.list(site.id, cursor), [site.id, cursor]);
  const rows = res.data?.data ?? [];
  return (
    <div class="page">
      <PageHeader title="Templates" subtitle="Messages your server sends by key, written once per channel and language, with variables like {{ user.name }}." />
      {can("templates:write") && <NewTemplate siteId={site.id} />}
      {res.loading && !res.data && <Loading label="Loading templates…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="templates" />}
      {res.data && rows.length === 0 && cursors.length === 1 && (
        <Empty title="No templates yet">A template holds what a message says on each channel, in each language. Sends name it by its key and pass the data it needs.</Empty>
      )}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th scope="col">Template</th><th scope="col">Channels</th><th scope="col">Languages</th><th scope="col">Status</th><th scope="col">Edited</th></tr></thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.key}>
                  <td class="cell-main"><a href={templateHref(site.id, t.key)}><strong>{t.name}</strong></a><code class="muted small tpl-key">{t.key}</code></td>
                  <td data-label="Channels" class="cell-wide"><span class="tags">{t.channels.map((c) => <span class="tag" key={c}>{CHANNELS[c]?.label ?? c}</span>)}</span>{!t.channels.length && <span class="muted">none yet</span>}</td>
                  <td data-label="Languages"><span class="tags">{t.languages.map((l) => <span class="tag" key={l}>{l === t.default_locale ? `${l} (default)` : l}</span>)}</span></td>
                  <td data-label="Status"><StatusBadge t={t} /></td>
                  <td data-label="Edited">{fmtRelative(t.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(cursors.length > 1 || res.data?.next_cursor) && (
        <div class="pager">
          <Button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</Button>
          <Button disabled={!res.data?.next_cursor} onClick={() => setCursors([...cursors, res.data!.next_cursor])}>Next</Button>
        </div>
      )}
    </div>
  );
}
