// Inbound webhook triggers on the Automations page (issue #10 §6): each with its status and last
// call; create one (its URL and signing secret shown once), send a test with a sample payload
// (dry run or for real), read the log of calls (status, outcome, the error and its field, what
// it rendered), switch off, delete.
import { useRef, useState } from "preact/hooks";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { Alert, Badge, Button, Card, Dialog, Empty, ErrorState, Field, FormError, Loading, SelectField, TextField, useRevealErrors } from "../../components/ui";
import { fmtDate } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { useSubmit } from "../../lib/use-submit";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import { type TriggerView, triggersApi } from "./api";

const SAMPLE = `{
  "order": { "id": "A-1001" },
  "customer": { "id": "user-42", "name": "Ada" }
}`;

function TriggerForm({ onCreated, onCancel }: { onCreated: (t: TriggerView & { url: string; secret: string }) => void; onCancel: () => void }) {
  const site = currentSite.value!;
  const [name, setName] = useState("Order shipped");
  const [mode, setMode] = useState<"signed" | "token_only">("signed");
  const [title, setTitle] = useState("Order {{ payload.order.id }} shipped");
  const [body, setBody] = useState("Hi {{ payload.customer.name | default: 'there' }}, it is on its way.");
  const [who, setWho] = useState("customer.id");
  const [dedupe, setDedupe] = useState("order.id");
  const form = useRef<HTMLFormElement>(null);
  const { busy, error, submit } = useSubmit(async () => {
    onCreated(await triggersApi.create(site.id, {
      name: name.trim(), mode,
      mapping: { content: { web_push: { title, ...(body.trim() ? { body } : {}) } }, external_id_path: who.trim(), ...(dedupe.trim() ? { idempotency_path: dedupe.trim() } : {}) },
    }));
  });
  useRevealErrors(form, error);
  const err = (p: string) => error?.field(p);
  return (
    <form ref={form} onSubmit={submit} noValidate>
      <TextField label="Name" value={name} onValue={setName} maxLength={200} error={err("name")} />
      <SelectField label="Callers prove who they are by" value={mode} onValue={(v) => setMode(v as typeof mode)}
        options={[["signed", "Signing each call (X-Herald-Signature) — recommended"], ["token_only", "Knowing the URL only"]]} />
      <TextField label="Push title" value={title} onValue={setTitle} error={err("mapping.content.web_push.title")} hint="Liquid over the JSON you post: {{ payload.order.id }}." />
      <TextField label="Push message" value={body} onValue={setBody} error={err("mapping.content.web_push.body")} />
      <div class="grid-2">
        <TextField label="Send to the user whose ID is at" value={who} onValue={setWho} error={err("mapping.external_id_path")} hint="A path in the payload, e.g. customer.id." />
        <TextField label="Count a call once per (optional)" value={dedupe} onValue={setDedupe} error={err("mapping.idempotency_path")} hint="A path whose value names the event, e.g. order.id." />
      </div>
      <div class="form-actions">
        <FormError error={error} fields={["name", "mode", "mapping"]} />
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>Create trigger</Button>
      </div>
    </form>
  );
}

function TriggerDetail({ t }: { t: TriggerView }) {
  const site = currentSite.value!;
  const calls = useResource(() => triggersApi.calls(site.id, t.id).then((r) => r.data), [site.id, t.id]);
  const [payload, setPayload] = useState(SAMPLE);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const test = async (dryRun: boolean) => {
    setError(null);
    setResult(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return setError("The sample payload is not valid JSON.");
    }
    setBusy(true);
    try {
      const r = await triggersApi.test(site.id, t.id, parsed, dryRun);
      setResult(r.message_id ? `Sent: message ${r.message_id}.` : `It would send: ${JSON.stringify(r.rendered)}`);
      await calls.reload();
    } catch (e) {
      const a = toApiError(e);
      setError(a.fields[0] ? `${a.message} (${a.fields[0].path})` : a.message);
      await calls.reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="series-runs">
      <Field label="Sample payload" hint="Try the mapping: a dry run shows what it would send; Send test sends it for real.">
        {({ id, describedBy }) => <textarea id={id} class="mono" rows={5} aria-describedby={describedBy} value={payload} onInput={(e) => setPayload((e.currentTarget as HTMLTextAreaElement).value)} />}
      </Field>
      <div class="rule-actions">
        <Button size="sm" busy={busy} onClick={() => test(true)}>Dry run</Button>
        {can("notifications:send") && <Button size="sm" variant="primary" busy={busy} onClick={() => test(false)}>Send test</Button>}
      </div>
      {error && <Alert tone="warn">{error}</Alert>}
      {result && <Alert tone="info">{result}</Alert>}
      {calls.loading ? <Loading label="Loading calls…" /> : calls.error ? <ErrorState error={calls.error} retry={calls.reload} what="the calls" /> : (
        calls.data?.length ? (
          <table class="table table-fit runs-table">
            <thead><tr><th>When</th><th>Status</th><th>What happened</th></tr></thead>
            <tbody>
              {calls.data.map((c) => (
                <tr key={c.id}>
                  <td>{fmtDate(c.at)}</td>
                  <td>{c.status}</td>
                  <td>{c.error ? `${c.error}${c.field ? ` (${c.field})` : ""}` : c.outcome === "duplicate" ? "A repeat: nothing new sent" : c.message_id ? <a href={`/sites/${site.id}/messages/${c.message_id}`}>{c.outcome === "test" ? "Test sent" : "Sent"}</a> : "Dry run"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p class="muted small">No calls yet.</p>
      )}
    </div>
  );
}

export function TriggersCard() {
  const site = currentSite.value!;
  const res = useResource(() => triggersApi.list(site.id).then((r) => r.data), [site.id]);
  const [list, setList] = useState<TriggerView[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [issued, setIssued] = useState<{ url: string; secret: string; mode: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const all = list ?? res.data ?? [];
  const writable = can("notifications:send");
  const created = (t: TriggerView & { url: string; secret: string }) => {
    setList([t, ...all]);
    setAdding(false);
    setIssued({ url: t.url, secret: t.secret, mode: t.mode });
  };
  const toggle = async (t: TriggerView) => {
    try {
      const n = await triggersApi.setEnabled(site.id, t.id, !t.enabled);
      setList(all.map((x) => (x.id === n.id ? n : x)));
      toast(n.enabled ? `${t.name} switched on` : `${t.name} switched off: its URL answers 404`);
    } catch (e) {
      toast(toApiError(e).message);
    }
  };
  const remove = async (t: TriggerView) => {
    try {
      await triggersApi.remove(site.id, t.id);
      setList(all.filter((x) => x.id !== t.id));
      toast(`${t.name} deleted`);
    } catch (e) {
      toast(toApiError(e).message);
    }
  };
  return (
    <Card title="Webhook triggers" actions={writable && all.length > 0 ? <Button size="sm" onClick={() => setAdding(true)}>New trigger</Button> : undefined}>
      {res.loading && <Loading label="Loading triggers…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="triggers" />}
      {res.data && all.length === 0 && (
        <Empty title="No triggers yet" action={writable ? <Button variant="primary" onClick={() => setAdding(true)}>New trigger</Button> : undefined}>
          A trigger is a URL your shop or app posts JSON to when something happens — an order shipped, a reply posted — and Herald turns each call into a notification to the right user.
        </Empty>
      )}
      {all.length > 0 && (
        <ul class="series-list">
          {all.map((t) => (
            <li key={t.id} class="series" data-testid="trigger">
              <div class="series-head">
                <div class="series-main">
                  <div><strong>{t.name}</strong> <Badge tone={t.enabled ? "green" : "grey"}>{t.enabled ? "on" : "off"}</Badge></div>
                  <span class="muted small">…/hooks/…{t.url_hint} · {t.mode === "signed" ? "signed calls" : "URL only"} · {t.last_call ? `last call ${fmtDate(t.last_call.at)}: ${t.last_call.status}` : "no calls yet"}</span>
                </div>
                <div class="series-actions">
                  <Button size="sm" variant="ghost" onClick={() => setOpen(open === t.id ? null : t.id)} aria-expanded={open === t.id}>{open === t.id ? "Hide" : "Test & log"}</Button>
                  {writable && <Button size="sm" variant="ghost" onClick={() => toggle(t)}>{t.enabled ? "Switch off" : "Switch on"}</Button>}
                  {writable && <Button size="sm" variant="ghost" onClick={() => remove(t)} aria-label={`Delete ${t.name}`}>Delete</Button>}
                </div>
              </div>
              {open === t.id && <TriggerDetail t={t} />}
            </li>
          ))}
        </ul>
      )}
      <Dialog open={adding} title="New webhook trigger" onClose={() => setAdding(false)}>
        {adding && <TriggerForm onCreated={created} onCancel={() => setAdding(false)} />}
      </Dialog>
      <Dialog open={!!issued} title="Your trigger's URL and secret" onClose={() => setIssued(null)}>
        {issued && (
          <>
            <p>POST JSON to <code class="break">{issued.url}</code></p>
            <OneTimeSecret secret={issued.secret} name="trigger signing secret" onDone={() => setIssued(null)}>
              {issued.mode === "signed"
                ? <>Sign each call: <code>X-Herald-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</code>. The URL is shown once too.</>
                : <>Anyone with the URL can call it: keep it secret. The URL is shown once too.</>}
            </OneTimeSecret>
          </>
        )}
      </Dialog>
    </Card>
  );
}
