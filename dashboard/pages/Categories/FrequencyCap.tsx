// The site's frequency cap (settings.frequency_cap): at most N notifications per recipient in any
// 24 hours and in any 7 days, across campaigns, API messages and automations; urgent sends and
// required categories pass. Skipped sends show as "capped" on each message.
import { useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { Button, Card, Checkbox, FormError, TextField } from "../../components/ui";
import { toApiError } from "../../lib/use-resource";
import { can, currentSite, siteUpdated } from "../../state/sites";
import { toast } from "../../state/toasts";
import { CHANNEL_IDS, CHANNEL_LABELS, INTERRUPTING_CHANNELS } from "../../../workers/contracts/channels";
import type { FrequencyCap } from "../../../workers/contracts/preferences";

const describe = (c: FrequencyCap) =>
  [c.per_day ? `${c.per_day} a day` : null, c.per_week ? `${c.per_week} a week` : null].filter(Boolean).join(" and ");

export function FrequencyCapCard() {
  const site = currentSite.value!;
  const editable = can("settings:write");
  const current = site.settings.frequency_cap ?? null;
  const [perDay, setPerDay] = useState(current?.per_day ? String(current.per_day) : "");
  const [perWeek, setPerWeek] = useState(current?.per_week ? String(current.per_week) : "");
  const [channels, setChannels] = useState<Set<string>>(new Set(current?.channels ?? INTERRUPTING_CHANNELS));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (frequency_cap: FrequencyCap | null) => {
    setBusy(true);
    setError(null);
    try {
      siteUpdated(await api.updateSite(site.id, { settings: { frequency_cap } }));
      toast(frequency_cap ? `Frequency cap set: ${describe(frequency_cap)}` : "Frequency cap removed");
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const num = (v: string) => (v.trim() === "" ? null : Number(v));
  const field = (p: string) => error?.field(`settings.frequency_cap.${p}`);
  return (
    <Card title="Frequency cap">
      <p class="muted small">
        {current ? `Now at most ${describe(current)} per person` : "No cap"}, counting every campaign, API message and automation once however many channels carry it. Urgent messages and required categories are always sent; capped sends show on each message as skipped.
      </p>
      <fieldset class="plain" disabled={!editable}>
        <div class="grid-2">
          <TextField label="At most per day (any 24 hours)" type="number" min={1} max={1000} value={perDay} onValue={setPerDay} error={field("per_day")} hint="Leave empty for no daily limit." />
          <TextField label="At most per week (any 7 days)" type="number" min={1} max={5000} value={perWeek} onValue={setPerWeek} error={field("per_week")} hint="Leave empty for no weekly limit." />
        </div>
        <fieldset class="plain category-channels">
          <legend>Channels counted</legend>
          {CHANNEL_IDS.map((c) => (
            <Checkbox key={c} label={CHANNEL_LABELS[c]} checked={channels.has(c)}
              onChange={(on) => setChannels((s) => { const next = new Set(s); if (on) next.add(c); else next.delete(c); return next; })} />
          ))}
        </fieldset>
        {editable && (
          <div class="form-actions">
            <FormError error={error} fields={["settings.frequency_cap"]} />
            {current && <Button busy={busy} onClick={() => save(null)}>Remove</Button>}
            <Button variant="primary" busy={busy}
              onClick={() => save({ per_day: num(perDay), per_week: num(perWeek), channels: CHANNEL_IDS.filter((c) => channels.has(c)) })}>Save cap</Button>
          </div>
        )}
      </fieldset>
    </Card>
  );
}
