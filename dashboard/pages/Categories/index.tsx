// Categories (issue #9 §3): the site's kinds of notification that users opt in and out of — with
// their defaults, whether users may leave them, per-channel defaults and digest rules — and the
// site's default quiet hours. Members read; admins and owners change.
import { useState } from "preact/hooks";
import { Badge, Button, Card, Dialog, Empty, ErrorState, Loading, PageHeader } from "../../components/ui";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import { CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import { type Category, categoriesApi } from "./api";
import { CategoryForm } from "./CategoryForm";
import { FrequencyCapCard } from "./FrequencyCap";
import { QuietHoursCard } from "./QuietHours";
import "./categories.css";

function digestInWords(c: Category): string | null {
  if (!c.digest) return null;
  const when = c.digest.daily_at ? `daily at ${c.digest.daily_at}` : `every ${c.digest.window_minutes} min`;
  const channels = c.digest.channels ? ` on ${c.digest.channels.map((x) => CHANNEL_LABELS[x]).join(", ")}` : "";
  return `Digest ${when}${channels}`;
}

function CategoryItem({ c, writable, onEdit, onDelete }: { c: Category; writable: boolean; onEdit: () => void; onDelete: () => void }) {
  const off = Object.entries(c.channels).filter(([, on]) => on === false).map(([ch]) => CHANNEL_LABELS[ch as ChannelId] ?? ch);
  const digest = digestInWords(c);
  return (
    <li class="category" data-testid="category">
      <div class="category-main">
        <div class="category-title">
          <strong>{c.name}</strong> <code class="small">{c.key}</code>
          {c.required ? <Badge tone="amber">required</Badge> : !c.default_enabled && <Badge tone="grey">opt-in</Badge>}
        </div>
        {c.description && <span class="small">{c.description}</span>}
        {digest && <span class="small">{digest}</span>}
        {off.length > 0 && <span class="muted small">Off by default on {off.join(", ")}</span>}
      </div>
      {writable && (
        <div class="category-actions">
          <Button size="sm" variant="ghost" onClick={onEdit}>Edit</Button>
          <Button size="sm" variant="ghost" onClick={onDelete} aria-label={`Delete ${c.name}`}>Delete</Button>
        </div>
      )}
    </li>
  );
}

export default function Categories() {
  const site = currentSite.value!;
  const writable = can("categories:write");
  const res = useResource(() => categoriesApi.list(site.id).then((r) => r.data), [site.id]);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Category | null>(null);
  const [deleting, setDeleting] = useState<Category | null>(null);
  const [busy, setBusy] = useState(false);
  const list = res.data ?? [];

  const remove = async (c: Category) => {
    setBusy(true);
    try {
      await categoriesApi.remove(site.id, c.key);
      toast(`${c.name} deleted`);
      setDeleting(null);
      await res.reload();
    } catch (err) {
      toast(toApiError(err).message, "error");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageHeader
        title="Categories"
        subtitle="The kinds of notification your users choose to receive. Messages and campaigns name one as their category; users' choices for it apply on every channel."
        actions={writable && !adding ? <Button variant="primary" onClick={() => setAdding(true)}>Add category</Button> : undefined}
      />
      {adding && (
        <Card title="Add a category">
          <CategoryForm submitLabel="Add category" onCancel={() => setAdding(false)}
            onSubmit={async (c) => {
              const created = await categoriesApi.create(site.id, c);
              toast(`${created.name} added`);
              setAdding(false);
              await res.reload();
            }} />
        </Card>
      )}
      {res.loading && !res.data && <Loading label="Loading categories…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="categories" />}
      {res.data && list.length === 0 && !adding && (
        <Empty title="No categories yet" action={writable ? <Button variant="primary" onClick={() => setAdding(true)}>Add category</Button> : undefined}>
          Add categories such as Comments, Promotions or Security alerts so users can choose what they get — and collect busy ones into digests.
        </Empty>
      )}
      {list.length > 0 && (
        <Card title="Categories">
          <ul class="category-list">
            {list.map((c) => <CategoryItem key={c.key} c={c} writable={writable} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} />)}
          </ul>
        </Card>
      )}
      <QuietHoursCard />
      <FrequencyCapCard />
      <Dialog open={!!editing} title={`Edit ${editing?.name ?? ""}`} onClose={() => setEditing(null)}>
        {editing && (
          <CategoryForm key={editing.key} initial={editing} submitLabel="Save" onCancel={() => setEditing(null)}
            onSubmit={async ({ key: _key, ...patch }) => {
              await categoriesApi.update(site.id, editing.key, patch);
              toast("Category saved");
              setEditing(null);
              await res.reload();
            }} />
        )}
      </Dialog>
      <Dialog open={!!deleting} title="Delete this category?" onClose={() => setDeleting(null)}
        actions={<><Button onClick={() => setDeleting(null)}>Cancel</Button><Button variant="danger" busy={busy} onClick={() => deleting && remove(deleting)}>Delete category</Button></>}>
        <p>Sends that name <code>{deleting?.key}</code> keep working, without its rules; users' choices for it are ignored.</p>
      </Dialog>
    </div>
  );
}
