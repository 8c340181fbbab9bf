// The site's default quiet hours (settings.quiet_hours): non-urgent sends to users who set no
// window of their own wait until it ends, in each user's timezone (else the site's).
import { useState } from "preact/hooks";
import { api } from "../../api";
import { Button, Card, FormError, TextField } from "../../components/ui";
import { toApiError } from "../../lib/use-resource";
import { type ApiError } from "../../api";
import { can, currentSite, siteUpdated } from "../../state/sites";
import { toast } from "../../state/toasts";

export function QuietHoursCard() {
  const site = currentSite.value!;
  const editable = can("settings:write");
  const current = site.settings.quiet_hours ?? null;
  const [start, setStart] = useState(current?.start ?? "22:00");
  const [end, setEnd] = useState(current?.end ?? "08:00");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (quiet_hours: { start: string; end: string } | null) => {
    setBusy(true);
    setError(null);
    try {
      siteUpdated(await api.updateSite(site.id, { settings: { quiet_hours } }));
      toast(quiet_hours ? `Quiet hours set: ${quiet_hours.start}–${quiet_hours.end}` : "Quiet hours removed");
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Default quiet hours">
      <p class="muted small">
        {current ? `Now ${current.start}–${current.end}` : "None set"}, in each user's own timezone (else {site.settings.timezone}). Users can set their own; urgent messages and required categories pass.
      </p>
      <fieldset class="plain" disabled={!editable}>
        <div class="grid-2">
          <TextField label="From" type="time" value={start} onValue={setStart} error={error?.field("settings.quiet_hours.start")} />
          <TextField label="Until" type="time" value={end} onValue={setEnd} error={error?.field("settings.quiet_hours.end")} />
        </div>
        {editable && (
          <div class="form-actions">
            <FormError error={error} fields={["settings.quiet_hours"]} />
            {current && <Button busy={busy} onClick={() => save(null)}>Remove</Button>}
            <Button variant="primary" busy={busy} onClick={() => save({ start, end })}>Save quiet hours</Button>
          </div>
        )}
      </fieldset>
    </Card>
  );
}
