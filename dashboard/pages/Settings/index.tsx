// Site settings: identity, delivery defaults, value per click and its currency, allowed
// origins, the soft prompt, identity verification (admins: the secret that signs user ids)
// and the VAPID public key (read-only). Owners also get the danger zone. Field names are the API's paths (settings.default_ttl_s), so its messages land on them.
import { useLocation } from "preact-iso";
import { useRef, useState } from "preact/hooks";
import { PUSH_TTL_MAX_S } from "../../../workers/config";
import { ApiError, api } from "../../api";
import { DurationField } from "../../components/DurationField";
import { Alert, Button, Card, Checkbox, CopyButton, Dialog, Field, FormError, PageHeader, SelectField, TextField, useRevealErrors } from "../../components/ui";
import { DEFAULT_CURRENCY, currencyDigits, currencyLabel, fmtDuration, fmtMoney } from "../../lib/format";
import { allTimeZones } from "../../lib/timezone";
import { toApiError } from "../../lib/use-resource";
import { can, currentSite, siteUpdated, sites } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { Site } from "../../types";
import { IdentityVerification } from "./Identity";

/** Offered in the currency picker (the site's own is added when it is not one of these). */
const COMMON_CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "CNY", "INR", "BRL", "MXN", "SEK", "NOK", "DKK", "PLN", "CZK", "ZAR", "SGD", "HKD", "NZD", "KRW", "TRY", "AED"];
/** SettingsPatch (workers/routes/schemas.ts) bounds, said before they are broken. */
const VALUE_PER_CLICK_MAX = 1_000_000;
const PROMPT_TEXT_MAX = 200;
const PROMPT_DELAY_MAX_S = 600;

/** The form's fields and the API paths their messages come back on. */
const PATHS = {
  name: "name", url: "url", timezone: "settings.timezone", currency: "settings.currency", value_per_click: "settings.value_per_click",
  default_icon: "settings.default_icon", default_ttl_s: "settings.default_ttl_s", allowed_origins: "settings.allowed_origins",
  prompt_enabled: "settings.soft_prompt.enabled", prompt_text: "settings.soft_prompt.text", prompt_delay_s: "settings.soft_prompt.delay_s",
} as const;

function formOf(site: Site) {
  const s = site.settings;
  return {
    name: site.name, url: site.url, timezone: s.timezone, default_ttl_s: String(s.default_ttl_s), default_icon: s.default_icon ?? "",
    value_per_click: String(s.value_per_click), currency: s.currency ?? DEFAULT_CURRENCY, allowed_origins: s.allowed_origins.join("\n"),
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
  const err = (k: keyof typeof PATHS) => error?.field(PATHS[k]);
  const form = useRef<HTMLFormElement>(null);
  useRevealErrors(form, error);
  const currencies = COMMON_CURRENCIES.includes(f.currency) ? COMMON_CURRENCIES : [f.currency, ...COMMON_CURRENCIES];
  const perClick = Number(f.value_per_click);

  const save = async (e: Event) => {
    e.preventDefault();
    // Number("") is 0: an emptied number field would silently save 0.
    const empty = ([
      ["default_ttl_s", "Enter a time to live (0 means deliver now or never)."],
      ["value_per_click", "Enter what a click is worth, or 0."],
      ["prompt_delay_s", "Enter a delay in seconds, or 0."],
    ] as const).filter(([k]) => f[k].trim() === "");
    if (empty.length) {
      setError(new ApiError(0, "validation_failed", "Please fill in the highlighted fields.", empty.map(([k, message]) => ({ path: PATHS[k], message }))));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateSite(site.id, {
        name: f.name.trim(), url: f.url.trim(),
        settings: {
          timezone: f.timezone, default_ttl_s: Number(f.default_ttl_s), default_icon: f.default_icon.trim() || null,
          value_per_click: Number(f.value_per_click), currency: f.currency,
          allowed_origins: f.allowed_origins.split(/[\s,]+/).map((o) => o.trim()).filter(Boolean),
          soft_prompt: { enabled: f.prompt_enabled, text: f.prompt_text, delay_s: Number(f.prompt_delay_s) },
        },
      });
      setF(formOf(siteUpdated(updated)));
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
      <form onSubmit={save} noValidate ref={form}>
        <fieldset class="plain" disabled={!editable}>
          <Card title="Site">
            <div class="grid-2">
              <TextField label="Site name" maxLength={100} value={f.name} onValue={(v) => set("name", v)} error={err("name")} />
              <TextField label="Website address" type="url" value={f.url} onValue={(v) => set("url", v)} error={err("url")}
                hint="The full address, starting with https://." />
              <SelectField label="Time zone" value={f.timezone} onValue={(v) => set("timezone", v)} options={allTimeZones()} error={err("timezone")}
                hint="Used for scheduling and daily charts." disabled={!editable} />
            </div>
          </Card>
          <Card title="Value of a click">
            <div class="grid-2">
              <SelectField label="Currency" value={f.currency} onValue={(v) => set("currency", v)} error={err("currency")} disabled={!editable}
                options={currencies.map((c) => [c, currencyLabel(c)] as [string, string])} hint="Every Value figure is shown in it." />
              <TextField label={`Value per click (${f.currency})`} type="number" min={0} max={VALUE_PER_CLICK_MAX} step={String(10 ** -currencyDigits(f.currency))}
                value={f.value_per_click} onValue={(v) => set("value_per_click", v)} error={err("value_per_click")}
                hint={f.value_per_click !== "" && Number.isFinite(perClick) && perClick > 0
                  ? `Each click counts as ${fmtMoney(perClick, f.currency)} in the Value figures.`
                  : "What a click is worth to you. Drives the Value figures; 0 leaves them at zero."} />
            </div>
          </Card>
          <Card title="Delivery defaults">
            <div class="grid-2">
              <TextField label="Default icon URL" type="url" placeholder="https://…/icon-192.png" value={f.default_icon} onValue={(v) => set("default_icon", v)} error={err("default_icon")}
                hint="An https:// address of a square image, at least 192×192." />
              <DurationField label="Default time to live" seconds={f.default_ttl_s} onSeconds={(v) => set("default_ttl_s", v)} maxSeconds={PUSH_TTL_MAX_S}
                error={err("default_ttl_s")} disabled={!editable}
                hint={`How long push services keep trying to deliver to an offline browser. Up to ${fmtDuration(PUSH_TTL_MAX_S)}; 0 means deliver now or never.`} />
            </div>
            <Field label="Allowed origins" error={err("allowed_origins")} hint="One per line, e.g. https://www.example.com. Only pages on these origins may subscribe visitors. Leave empty to allow just the website address; when you list origins, include it too.">
              {({ id, describedBy, invalid }) => (
                <textarea id={id} rows={3} aria-describedby={describedBy} aria-invalid={invalid || undefined} value={f.allowed_origins}
                  onInput={(e) => set("allowed_origins", (e.currentTarget as HTMLTextAreaElement).value)} />
              )}
            </Field>
          </Card>
          <Card title="Soft prompt">
            <p class="muted">A gentle in-page message shown before the browser's permission dialog, so visitors only see that dialog when they want to.</p>
            <Checkbox label="Show the soft prompt" checked={f.prompt_enabled} onChange={(v) => set("prompt_enabled", v)} disabled={!editable} />
            <div class="grid-2">
              <TextField label="Prompt text" maxLength={PROMPT_TEXT_MAX} value={f.prompt_text} onValue={(v) => set("prompt_text", v)} error={err("prompt_text")}
                hint={`${f.prompt_text.length}/${PROMPT_TEXT_MAX} characters.`} />
              <TextField label="Delay (seconds)" type="number" min={0} max={PROMPT_DELAY_MAX_S} value={f.prompt_delay_s} onValue={(v) => set("prompt_delay_s", v)} error={err("prompt_delay_s")}
                hint={`After the page loads: 0 to ${PROMPT_DELAY_MAX_S} seconds (${fmtDuration(PROMPT_DELAY_MAX_S)}).`} />
            </div>
          </Card>
          {editable && (
            <div class="form-actions">
              <FormError error={error} fields={Object.values(PATHS)} />
              <Button type="submit" variant="primary" busy={busy}>Save settings</Button>
            </div>
          )}
        </fieldset>
      </form>
      {editable && <IdentityVerification site={site} />}
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
