// Welcome drips on the Automations page (issue #10 §4): each campaign with its status, steps and
// per-step funnel (reached, sent, shown, clicked); create and edit (steps with a delay after
// subscribing, title, message, link), activate, pause, delete. Editing says what happens to
// subscribers already in it.
import { useRef, useState } from "preact/hooks";
import { Alert, Badge, Button, Card, Dialog, Empty, ErrorState, FormError, Loading, TextField, useRevealErrors } from "../../components/ui";
import { fmtInt } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { useSubmit } from "../../lib/use-submit";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import { type DripStepDraft, type DripView, dripsApi } from "./api";

const STATUS_TONES: Record<string, string> = { active: "green", paused: "amber", draft: "grey" };

/** "right away", "after 2 days", "after 3 h 30 min" */
function delayInWords(min: number): string {
  if (min === 0) return "Right away";
  const d = Math.floor(min / 1440), h = Math.floor((min % 1440) / 60), m = min % 60;
  return `After ${[d && `${d} day${d === 1 ? "" : "s"}`, h && `${h} h`, m && `${m} min`].filter(Boolean).join(" ")}`;
}

interface StepForm { id?: string; days: string; hours: string; title: string; body: string; url: string }
const toForm = (s: DripView["steps"][number]): StepForm => ({
  id: s.id, days: String(Math.floor(s.delay_minutes / 1440)), hours: String(Math.round((s.delay_minutes % 1440) / 60)),
  title: s.content.title, body: s.content.body ?? "", url: s.content.url ?? "",
});
const fromForm = (s: StepForm): DripStepDraft => ({
  ...(s.id ? { id: s.id } : {}),
  delay_minutes: (Number(s.days) || 0) * 1440 + (Number(s.hours) || 0) * 60,
  content: { title: s.title.trim(), ...(s.body.trim() ? { body: s.body.trim() } : {}), ...(s.url.trim() ? { url: s.url.trim() } : {}) },
});
const blankStep = (days: number): StepForm => ({ days: String(days), hours: "0", title: "", body: "", url: "" });

function DripForm({ initial, onSaved, onCancel }: { initial: DripView | null; onSaved: (d: DripView) => void; onCancel: () => void }) {
  const site = currentSite.value!;
  const [name, setName] = useState(initial?.name ?? "Welcome series");
  const [steps, setSteps] = useState<StepForm[]>(initial ? initial.steps.map(toForm) : [blankStep(0), blankStep(1)]);
  const form = useRef<HTMLFormElement>(null);
  const { busy, error, submit } = useSubmit(async () => {
    const body = { name: name.trim(), steps: steps.map(fromForm) };
    onSaved(initial ? await dripsApi.update(site.id, initial.id, body) : await dripsApi.create(site.id, body));
  });
  useRevealErrors(form, error);
  const set = (i: number, patch: Partial<StepForm>) => setSteps(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const err = (p: string) => error?.field(p);
  return (
    <form ref={form} onSubmit={submit} noValidate class="drip-form">
      <TextField label="Name" value={name} onValue={setName} maxLength={200} error={err("name")} />
      {initial?.status === "active" && <Alert tone="info">Subscribers already in this campaign get the changed steps they have not received yet, at the new times; a step they got is not sent again.</Alert>}
      {steps.map((s, i) => (
        <fieldset class="drip-step" key={s.id ?? `new-${i}`}>
          <legend>Step {i + 1}</legend>
          <div class="grid-2">
            <TextField label="Days after subscribing" type="number" min={0} max={56} value={s.days} onValue={(v) => set(i, { days: v })} error={err(`steps.${i}.delay_minutes`)} />
            <TextField label="And hours" type="number" min={0} max={23} value={s.hours} onValue={(v) => set(i, { hours: v })} />
          </div>
          <TextField label="Title" value={s.title} onValue={(v) => set(i, { title: v })} maxLength={200} error={err(`steps.${i}.content.title`)} />
          <TextField label="Message" value={s.body} onValue={(v) => set(i, { body: v })} maxLength={1000} error={err(`steps.${i}.content.body`)} />
          <TextField label="Link when clicked" value={s.url} onValue={(v) => set(i, { url: v })} placeholder={site.url} error={err(`steps.${i}.content.url`)} />
          {steps.length > 1 && <Button size="sm" variant="ghost" onClick={() => setSteps(steps.filter((_, j) => j !== i))}>Remove step {i + 1}</Button>}
        </fieldset>
      ))}
      {steps.length < 10 && <Button size="sm" onClick={() => setSteps([...steps, blankStep(Number(steps.at(-1)?.days ?? 0) + 2)])}>Add a step</Button>}
      <div class="form-actions">
        <FormError error={error} fields={["name", "steps"]} />
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>{initial ? "Save" : "Create as draft"}</Button>
      </div>
    </form>
  );
}

function DripItem({ d, onChange, onEdit, onDelete }: { d: DripView; onChange: (d: DripView) => void; onEdit: () => void; onDelete: () => void }) {
  const site = currentSite.value!;
  const writable = can("notifications:send");
  const [busy, setBusy] = useState(false);
  const toggle = async () => {
    setBusy(true);
    try {
      const next = await dripsApi.setActive(site.id, d.id, d.status !== "active");
      onChange(next);
      toast(next.status === "active" ? `${d.name} is active: new subscribers enter it` : `${d.name} paused`);
    } catch (e) {
      toast(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="series" data-testid="drip">
      <div class="series-head">
        <div class="series-main">
          <div><strong>{d.name}</strong> <Badge tone={STATUS_TONES[d.status]}>{d.status}</Badge></div>
          <span class="muted small">{fmtInt(d.entered)} entered · {fmtInt(d.completed)} completed · {fmtInt(d.left)} left by unsubscribing</span>
        </div>
        {writable && (
          <div class="series-actions">
            <Button size="sm" variant={d.status === "active" ? "ghost" : "primary"} busy={busy} onClick={toggle}>{d.status === "active" ? "Pause" : "Activate"}</Button>
            <Button size="sm" variant="ghost" onClick={onEdit}>Edit</Button>
            <Button size="sm" variant="ghost" onClick={onDelete} aria-label={`Delete ${d.name}`}>Delete</Button>
          </div>
        )}
      </div>
      <table class="table table-fit runs-table">
        <thead><tr><th>Step</th><th class="num">Reached</th><th class="num">Sent</th><th class="num">Shown</th><th class="num">Clicked</th></tr></thead>
        <tbody>
          {d.steps.map((s, i) => {
            const f = d.funnel[i]!;
            return (
              <tr key={s.id}>
                <td><span class="muted small">{delayInWords(s.delay_minutes)}</span><br />{s.content.title}</td>
                <td class="num">{fmtInt(f.reached)}</td><td class="num">{fmtInt(f.sent)}</td><td class="num">{fmtInt(f.shown)}</td><td class="num">{fmtInt(f.clicked)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </li>
  );
}

export function DripsCard() {
  const site = currentSite.value!;
  const res = useResource(() => dripsApi.list(site.id).then((r) => r.data), [site.id]);
  const [list, setList] = useState<DripView[] | null>(null);
  const [editing, setEditing] = useState<DripView | "new" | null>(null);
  const [deleting, setDeleting] = useState<DripView | null>(null);
  const all = list ?? res.data ?? [];
  const writable = can("notifications:send");
  const saved = (d: DripView) => {
    setList(all.some((x) => x.id === d.id) ? all.map((x) => (x.id === d.id ? d : x)) : [d, ...all]);
    toast(editing === "new" ? `${d.name} created as a draft: activate it to start` : `${d.name} saved`);
    setEditing(null);
  };
  const remove = async (d: DripView) => {
    try {
      await dripsApi.remove(site.id, d.id);
      setList(all.filter((x) => x.id !== d.id));
      toast(`${d.name} deleted`);
    } catch (e) {
      toast(toApiError(e).message);
    }
    setDeleting(null);
  };
  return (
    <Card title="Welcome drips" actions={writable && all.length > 0 ? <Button size="sm" onClick={() => setEditing("new")}>New drip campaign</Button> : undefined}>
      {res.loading && <Loading label="Loading drip campaigns…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="drip campaigns" />}
      {res.data && all.length === 0 && (
        <Empty title="No welcome drips yet" action={writable ? <Button variant="primary" onClick={() => setEditing("new")}>New drip campaign</Button> : undefined}>
          A welcome drip greets each new subscriber with a series of notifications — right away, a day later, a week later — timed from the moment they subscribed.
        </Empty>
      )}
      {all.length > 0 && (
        <ul class="series-list">
          {all.map((d) => <DripItem key={d.id} d={d} onChange={(n) => setList(all.map((x) => (x.id === n.id ? n : x)))} onEdit={() => setEditing(d)} onDelete={() => setDeleting(d)} />)}
        </ul>
      )}
      <Dialog open={!!editing} title={editing === "new" ? "New welcome drip" : `Edit ${editing?.name ?? ""}`} onClose={() => setEditing(null)}>
        {editing && <DripForm initial={editing === "new" ? null : editing} onSaved={saved} onCancel={() => setEditing(null)} />}
      </Dialog>
      <Dialog open={!!deleting} title={`Delete ${deleting?.name ?? ""}?`} onClose={() => setDeleting(null)}
        actions={<><Button onClick={() => setDeleting(null)}>Cancel</Button><Button variant="danger" onClick={() => deleting && remove(deleting)}>Delete</Button></>}>
        <p>Subscribers in it get no more of its steps. Steps already sent keep their notifications and numbers.</p>
      </Dialog>
    </Card>
  );
}
