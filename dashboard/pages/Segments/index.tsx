// Segments (issue #10 §1): saved audiences of subscribers as rules, with their count. The
// editor builds nested all/any groups and shows a live count of who matches (the unsaved
// estimate, debounced); sends pick a segment in Compose.
import { useEffect, useRef, useState } from "preact/hooks";
import { SEGMENT_MAX_DEPTH } from "../../../workers/config";
import { Button, Card, Dialog, Empty, ErrorState, FormError, Loading, PageHeader, TextField, useRevealErrors } from "../../components/ui";
import { fmtDate, fmtInt } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { useSubmit } from "../../lib/use-submit";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import { type Group, type SegmentView, segmentsApi } from "./api";
import { GroupEditor, newCondition } from "./RuleBuilder";
import "./segments.css";

const COUNT_DEBOUNCE_MS = 500;

function LiveCount({ rules }: { rules: Group }) {
  const site = currentSite.value!;
  const key = JSON.stringify(rules);
  const [state, setState] = useState<{ count: number | null; error: string | null; loading: boolean }>({ count: null, error: null, loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const t = setTimeout(async () => {
      try {
        const r = await segmentsApi.estimate(site.id, rules);
        if (live) setState({ count: r.count, error: null, loading: false });
      } catch (e) {
        if (live) setState({ count: null, error: toApiError(e).fields.length ? "Finish the highlighted conditions to see the count." : toApiError(e).message, loading: false });
      }
    }, COUNT_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key]);
  return (
    <div class="audience-count" aria-live="polite" data-testid="segment-count">
      {state.loading ? <span class="muted">Counting subscribers…</span>
        : state.error ? <span class="muted">{state.error}</span>
        : <span><strong>{fmtInt(state.count)}</strong> {state.count === 1 ? "subscriber matches" : "subscribers match"} now</span>}
    </div>
  );
}

function SegmentEditor({ initial, onSaved, onCancel }: { initial: SegmentView | null; onSaved: (s: SegmentView) => void; onCancel: () => void }) {
  const site = currentSite.value!;
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [rules, setRules] = useState<Group>(initial?.rules ?? { op: "and", rules: [newCondition()] });
  const form = useRef<HTMLFormElement>(null);
  const { busy, error, submit } = useSubmit(async () => {
    const body = { name: name.trim(), description: description.trim() || null, rules };
    onSaved(initial ? await segmentsApi.update(site.id, initial.id, body) : await segmentsApi.create(site.id, body));
  });
  useRevealErrors(form, error);
  return (
    <form ref={form} onSubmit={submit} noValidate class="segment-editor">
      <div class="grid-2">
        <TextField label="Name" value={name} onValue={setName} maxLength={200} error={error?.field("name")} placeholder="Engaged VIPs in France" />
        <TextField label="Description (optional)" value={description} onValue={setDescription} maxLength={1000} error={error?.field("description")} />
      </div>
      <GroupEditor group={rules} onChange={setRules} error={(p) => error?.fields.find((f) => f.path === p)?.message} maxDepth={SEGMENT_MAX_DEPTH} />
      <LiveCount rules={rules} />
      <div class="form-actions">
        <FormError error={error} fields={["name", "description", "rules"]} />
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>{initial ? "Save segment" : "Create segment"}</Button>
      </div>
    </form>
  );
}

export default function Segments() {
  const site = currentSite.value!;
  const writable = can("notifications:write");
  const res = useResource(() => segmentsApi.list(site.id).then((r) => r.data), [site.id]);
  const [list, setList] = useState<SegmentView[] | null>(null);
  const [editing, setEditing] = useState<SegmentView | "new" | null>(null);
  const [deleting, setDeleting] = useState<SegmentView | null>(null);
  const all = list ?? res.data ?? [];
  const saved = (s: SegmentView) => {
    setList(all.some((x) => x.id === s.id) ? all.map((x) => (x.id === s.id ? s : x)) : [s, ...all]);
    toast(`${s.name} saved: ${fmtInt(s.estimated_count)} subscriber${s.estimated_count === 1 ? "" : "s"}`);
    setEditing(null);
  };
  const remove = async (s: SegmentView) => {
    try {
      await segmentsApi.remove(site.id, s.id);
      setList(all.filter((x) => x.id !== s.id));
      toast(`${s.name} deleted`);
    } catch (e) {
      toast(toApiError(e).message);
    }
    setDeleting(null);
  };
  if (editing) {
    return (
      <div class="page">
        <PageHeader title={editing === "new" ? "New segment" : `Edit ${editing.name}`} subtitle="Subscribers who match these rules. Sends that already started keep the audience they started with." />
        <Card><SegmentEditor initial={editing === "new" ? null : editing} onSaved={saved} onCancel={() => setEditing(null)} /></Card>
      </div>
    );
  }
  return (
    <div class="page">
      <PageHeader title="Segments" subtitle="Saved audiences, built from rules. Pick one as a notification's audience in Compose."
        actions={writable && all.length > 0 ? <Button variant="primary" onClick={() => setEditing("new")}>New segment</Button> : undefined} />
      {res.loading && <Loading label="Loading segments…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="segments" />}
      {res.data && all.length === 0 && (
        <Empty title="No segments yet" action={writable ? <Button variant="primary" onClick={() => setEditing("new")}>New segment</Button> : undefined}>
          A segment is an audience you describe once — say, subscribers in France who clicked in the last 30 days and have the “vip” tag — and send to again and again.
        </Empty>
      )}
      {all.length > 0 && (
        <Card>
          <ul class="series-list segment-list">
            {all.map((s) => (
              <li key={s.id} class="series" data-testid="segment">
                <div class="series-head">
                  <div class="series-main">
                    <strong>{s.name}</strong>
                    {s.description && <span class="small">{s.description}</span>}
                    <span class="muted small">{fmtInt(s.estimated_count)} subscriber{s.estimated_count === 1 ? "" : "s"}{s.estimated_at ? ` when counted on ${fmtDate(s.estimated_at)}` : ""}</span>
                  </div>
                  {writable && (
                    <div class="series-actions">
                      <Button size="sm" variant="ghost" onClick={() => setEditing(s)}>Edit</Button>
                      <Button size="sm" variant="ghost" onClick={() => setDeleting(s)} aria-label={`Delete ${s.name}`}>Delete</Button>
                    </div>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Dialog open={!!deleting} title={`Delete ${deleting?.name ?? ""}?`} onClose={() => setDeleting(null)}
        actions={<><Button onClick={() => setDeleting(null)}>Cancel</Button><Button variant="danger" onClick={() => deleting && remove(deleting)}>Delete</Button></>}>
        <p>Sends that already started keep their audience. Drafts and schedules that name it will be refused when they start.</p>
      </Dialog>
    </div>
  );
}
