// RSS-to-push on the Automations page (issue #10 §5): each feed with its mode, last poll and last
// error in a sentence, items sent; add one (its first poll only records what it holds), poll
// now, the items (approve or skip those waiting), switch off, delete.
import { useRef, useState } from "preact/hooks";
import { Alert, Badge, Button, Card, Dialog, Empty, ErrorState, FormError, Loading, SelectField, TextField, useRevealErrors } from "../../components/ui";
import { fmtDate, fmtInt } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { useSubmit } from "../../lib/use-submit";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import { type FeedView, feedsApi } from "./api";

const MODE_LABELS: Record<FeedView["mode"], string> = { each: "each new item", digest: "a digest per poll", approve: "after approval" };

function FeedForm({ onCreated, onCancel }: { onCreated: (f: FeedView) => void; onCancel: () => void }) {
  const site = currentSite.value!;
  const [name, setName] = useState("Blog");
  const [url, setUrl] = useState("");
  const [mode, setMode] = useState<FeedView["mode"]>("each");
  const [max, setMax] = useState("3");
  const form = useRef<HTMLFormElement>(null);
  const { busy, error, submit } = useSubmit(async () => onCreated(await feedsApi.create(site.id, { name: name.trim(), url: url.trim(), mode, max_items_per_poll: Number(max) })));
  useRevealErrors(form, error);
  return (
    <form ref={form} onSubmit={submit} noValidate>
      <TextField label="Name" value={name} onValue={setName} maxLength={200} error={error?.field("name")} />
      <TextField label="Feed address" value={url} onValue={setUrl} placeholder="https://blog.example.com/feed.xml" error={error?.field("url")} hint="RSS, Atom or JSON Feed, over https." />
      <div class="grid-2">
        <SelectField label="Send" value={mode} onValue={(v) => setMode(v as FeedView["mode"])} options={[["each", "A notification per new item"], ["digest", "One digest per poll"], ["approve", "Only items I approve"]]} />
        <TextField label="At most per poll" type="number" min={1} max={20} value={max} onValue={setMax} error={error?.field("max_items_per_poll")} hint="Older new items beyond this are skipped." />
      </div>
      <p class="muted small">The first poll only records what the feed already holds: nothing from its archive is sent.</p>
      <div class="form-actions">
        <FormError error={error} fields={["name", "url", "mode", "max_items_per_poll"]} />
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>Follow feed</Button>
      </div>
    </form>
  );
}

function FeedItems({ f }: { f: FeedView }) {
  const site = currentSite.value!;
  const items = useResource(() => feedsApi.items(site.id, f.id).then((r) => r.data), [site.id, f.id, f.last_polled_at]);
  const decide = async (key: string, approve: boolean) => {
    try {
      await feedsApi.decide(site.id, f.id, key, approve);
      toast(approve ? "Sent" : "Skipped");
      await items.reload();
    } catch (e) {
      toast(toApiError(e).message);
    }
  };
  if (items.loading) return <Loading label="Loading items…" />;
  if (items.error) return <ErrorState error={items.error} retry={items.reload} what="the items" />;
  if (!items.data?.length) return <p class="muted small">No items yet: the first poll takes a baseline.</p>;
  return (
    <table class="table table-fit runs-table">
      <thead><tr><th>Item</th><th>State</th></tr></thead>
      <tbody>
        {items.data.slice(0, 20).map((i) => (
          <tr key={i.key}>
            <td>{i.url ? <a href={i.url} target="_blank" rel="noopener noreferrer">{i.title ?? i.url}</a> : i.title ?? "(untitled)"}</td>
            <td>
              {i.state === "pending_approval" && can("notifications:send")
                ? <span class="rule-actions"><Button size="sm" variant="primary" onClick={() => decide(i.key, true)}>Send</Button><Button size="sm" variant="ghost" onClick={() => decide(i.key, false)}>Skip</Button></span>
                : i.state === "sent" && i.notification_id ? <a href={`/sites/${site.id}/notifications/${i.notification_id}`}>Sent</a>
                : { seen: "Already there at the start", new: "New", pending_approval: "Waiting for approval", sent: "Sent", skipped: "Skipped" }[i.state]}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FeedsCard() {
  const site = currentSite.value!;
  const res = useResource(() => feedsApi.list(site.id).then((r) => r.data), [site.id]);
  const [list, setList] = useState<FeedView[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const all = list ?? res.data ?? [];
  const writable = can("notifications:send");
  const replace = (f: FeedView) => setList(all.some((x) => x.id === f.id) ? all.map((x) => (x.id === f.id ? f : x)) : [f, ...all]);
  const poll = async (f: FeedView) => {
    setBusy(f.id);
    try {
      const r = await feedsApi.poll(site.id, f.id);
      replace(r.feed);
      toast(r.status === "failed" ? `The poll failed: ${r.error}` : r.status === "baseline" ? "Baseline taken: new items from now on go out" : r.status === "unchanged" ? "Nothing new" : `${fmtInt(r.newItems)} new, ${fmtInt(r.sent)} sent`);
    } catch (e) {
      toast(toApiError(e).message);
    } finally {
      setBusy(null);
    }
  };
  const remove = async (f: FeedView) => {
    try {
      await feedsApi.remove(site.id, f.id);
      setList(all.filter((x) => x.id !== f.id));
      toast(`${f.name} removed`);
    } catch (e) {
      toast(toApiError(e).message);
    }
  };
  return (
    <Card title="RSS feeds" actions={writable && all.length > 0 ? <Button size="sm" onClick={() => setAdding(true)}>Follow a feed</Button> : undefined}>
      {res.loading && <Loading label="Loading feeds…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="feeds" />}
      {res.data && all.length === 0 && (
        <Empty title="No feeds yet" action={writable ? <Button variant="primary" onClick={() => setAdding(true)}>Follow a feed</Button> : undefined}>
          Follow your blog's RSS, Atom or JSON feed and each new post goes out as a notification — checked every 15 minutes.
        </Empty>
      )}
      {all.length > 0 && (
        <ul class="series-list">
          {all.map((f) => (
            <li key={f.id} class="series" data-testid="feed">
              <div class="series-head">
                <div class="series-main">
                  <div><strong>{f.name}</strong> <Badge tone={f.enabled ? "green" : "grey"}>{f.enabled ? "on" : "off"}</Badge></div>
                  <span class="small break">{f.url}</span>
                  <span class="muted small">Sends {MODE_LABELS[f.mode]} · {f.last_polled_at ? `last checked ${fmtDate(f.last_polled_at)}` : "not checked yet"} · {fmtInt(f.items_sent)} sent{f.pending_approval ? ` · ${fmtInt(f.pending_approval)} waiting for approval` : ""}</span>
                  {f.last_error && <Alert tone="warn">The last check failed: {f.last_error}</Alert>}
                </div>
                <div class="series-actions">
                  <Button size="sm" variant="ghost" onClick={() => setOpen(open === f.id ? null : f.id)} aria-expanded={open === f.id}>{open === f.id ? "Hide items" : "Items"}</Button>
                  {writable && <Button size="sm" variant="ghost" busy={busy === f.id} onClick={() => poll(f)}>Check now</Button>}
                  {writable && <Button size="sm" variant="ghost" onClick={async () => replace(await feedsApi.update(site.id, f.id, { enabled: !f.enabled }))}>{f.enabled ? "Switch off" : "Switch on"}</Button>}
                  {writable && <Button size="sm" variant="ghost" onClick={() => remove(f)} aria-label={`Remove ${f.name}`}>Remove</Button>}
                </div>
              </div>
              {open === f.id && <div class="series-runs"><FeedItems f={f} /></div>}
            </li>
          ))}
        </ul>
      )}
      <Dialog open={adding} title="Follow a feed" onClose={() => setAdding(false)}>
        {adding && <FeedForm onCreated={(f) => { replace(f); setAdding(false); toast(`${f.name} followed: its first check takes a baseline`); }} onCancel={() => setAdding(false)} />}
      </Dialog>
    </Card>
  );
}
