// Site settings: identity, delivery defaults, value per click, allowed origins, the soft
// prompt, and the VAPID public key (read-only). Owners also get the danger zone.
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { Alert, Button, Card, Checkbox, CopyButton, Dialog, Field, FormError, PageHeader, SelectField, TextField } from "../../components/ui";
import { fmtDuration } from "../../lib/format";
import { allTimeZones } from "../../lib/timezone";
import { toApiError } from "../../lib/use-resource";
import { can, currentSite, siteUpdated, sites } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { Site } from "../../types";

function formOf(site: Site) {
  const s = site.settings;
  return {
    name: site.name, url: site.url, timezone: s.timezone, default_ttl_s: String(s.default_ttl_s), default_icon: s.default_icon ?? "",
    value_per_click: String(s.value_per_click), allowed_origins: s.allowed_origins.join("\n"),
    prompt_enabled: s.soft_prompt.enabled, prompt_text: s.soft_prompt.text, prompt_delay_s: String(s.soft_prompt.delay_s),
  };
}

function DangerZone({ site }: { site: Site }) {
  const { route } = useLocation();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async () => {
    setBusy(true);
    try {
      await api.deleteSite(site.id);
      sites.value = sites.value?.filter((s) => s.id !== site.id) ?? null;
      currentSite.value = null;
      toast(`${site.name} deleted`);
      route("/");
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  };
  return (
    <Card title="Danger zone" class="card-danger">
      <p>Deleting the site removes its subscribers, notifications, API keys and team access. This cannot be undone.</p>
      <Button variant="danger" onClick={() => setOpen(true)}>Delete site…</Button>
      <Dialog open={open} title={`Delete ${site.name}?`} onClose={() => setOpen(false)}
        actions={<><Button onClick={() => setOpen(false)}>Cancel</Button><Button variant="danger" busy={busy} disabled={typed !== site.name} onClick={remove}>Delete site</Button></>}>
        <FormError error={error} />
        <TextField label={<>Type <strong>{site.name}</strong> to confirm</>} value={typed} onValue={setTyped} autocomplete="off" />
      </Dialog>
    </Card>
  );
}

export default function Settings() {
  const site = currentSite.value!;
  const editable = can("settings:write");
  const [f, setF] = useState(() => formOf(site));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((s) => ({ ...s, [k]: v }));
  const err = (n: string) => error?.field(n);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateSite(site.id, {
        name: f.name.trim(), url: f.url.trim(),
        settings: {
          timezone: f.timezone, default_ttl_s: Number(f.default_ttl_s), default_icon: f.default_icon.trim() || null,
          value_per_click: Number(f.value_per_click),
          allowed_origins: f.allowed_origins.split(/[\s,]+/).map((o) => o.trim()).filter(Boolean),
          soft_prompt: { enabled: f.prompt_enabled, text: f.prompt_text, delay_s: Number(f.prompt_delay_s) },
        },
      });
      siteUpdated(updated);
      setF(formOf(updated));
      toast("Settings saved");
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageHeader title="Settings" subtitle={editable ? undefined : "Only admins and owners can change settings."} />
      <form onSubmit={save} noValidate>
        <fieldset class="plain" disabled={!editable}>
          <Card title="Site">
            <div class="grid-2">
              <TextField label="Site name" value={f.name} onValue={(v) => set("name", v)} error={err("name")} />
              <TextField label="Website address" type="url" value={f.url} onValue={(v) => set("url", v)} error={err("url")} />
              <SelectField label="Time zone" value={f.timezone} onValue={(v) => set("timezone", v)} options={allTimeZones()} error={err("timezone")}
                hint="Used for scheduling and daily charts." disabled={!editable} />
              <TextField label="Value per click" type="number" min={0} step="0.01" value={f.value_per_click} onValue={(v) => set("value_per_click", v)}
                error={err("value_per_click")} hint="What a click is worth to you, in your currency. Drives the Value figures." />
            </div>
          </Card>
          <Card title="Delivery defaults">
            <div class="grid-2">
              <TextField label="Default icon URL" type="url" placeholder="https://…/icon-192.png" value={f.default_icon} onValue={(v) => set("default_icon", v)} error={err("default_icon")} />
              <TextField label="Default time to live (seconds)" type="number" min={0} max={2419200} value={f.default_ttl_s} onValue={(v) => set("default_ttl_s", v)}
                error={err("default_ttl_s")} hint={f.default_ttl_s !== "" ? `How long push services keep trying: ${fmtDuration(Number(f.default_ttl_s))}. Max 28 days.` : undefined} />
            </div>
            <Field label="Allowed origins" error={err("allowed_origins")} hint="One per line, e.g. https://www.example.com. Only pages on these origins may subscribe visitors. Leave empty to allow just the website address; when you list origins, include it too.">
              {({ id, describedBy }) => (
                <textarea id={id} rows={3} aria-describedby={describedBy} value={f.allowed_origins}
                  onInput={(e) => set("allowed_origins", (e.currentTarget as HTMLTextAreaElement).value)} />
              )}
            </Field>
          </Card>
          <Card title="Soft prompt">
            <p class="muted">A gentle in-page message shown before the browser's permission dialog, so visitors only see that dialog when they want to.</p>
            <Checkbox label="Show the soft prompt" checked={f.prompt_enabled} onChange={(v) => set("prompt_enabled", v)} disabled={!editable} />
            <div class="grid-2">
              <TextField label="Prompt text" maxLength={200} value={f.prompt_text} onValue={(v) => set("prompt_text", v)} error={err("text")} />
              <TextField label="Delay (seconds)" type="number" min={0} max={600} value={f.prompt_delay_s} onValue={(v) => set("prompt_delay_s", v)} error={err("delay_s")} />
            </div>
          </Card>
          {editable && (
            <div class="form-actions">
              <FormError error={error} fields={["name", "url", "timezone", "value_per_click", "default_icon", "default_ttl_s", "allowed_origins", "text", "delay_s"]} />
              <Button type="submit" variant="primary" busy={busy}>Save settings</Button>
            </div>
          )}
        </fieldset>
      </form>
      <Card title="Web Push keys">
        {site.vapid_warning && <Alert tone="warn">{site.vapid_warning}</Alert>}
        <dl class="kv">
          <dt>VAPID public key</dt>
          <dd class="break"><code>{site.vapid_public_key}</code> <CopyButton text={site.vapid_public_key} label="Copy key" /></dd>
          <dt>Site key</dt>
          <dd><code>{site.site_key}</code></dd>
        </dl>
        <p class="muted small">The private key is sealed at rest and never leaves Herald.</p>
      </Card>
      {can("site:delete") && <DangerZone site={site} />}
    </div>
  );
}
