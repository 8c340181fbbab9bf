// The fields of a webhook endpoint — URL, description and the events it receives (every type,
// or the ones ticked) — for adding one and for editing one. The API checks the URL (public
// https only) and names the field when it refuses it.
import { useRef, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { Button, Checkbox, FormError, TextField, useRevealErrors } from "../../components/ui";
import { toApiError } from "../../lib/use-resource";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENT_TYPES } from "../../../workers/contracts/webhook-events";
import type { EndpointFields, WebhookEndpointView, WebhookEventType } from "./api";

export function EventPicker({ value, onChange, error }: { value: WebhookEventType[] | null; onChange: (v: WebhookEventType[] | null) => void; error?: string }) {
  const [picked, setPicked] = useState<WebhookEventType[]>(value ?? []);
  const choose = (types: WebhookEventType[]) => (setPicked(types), onChange(types));
  return (
    <fieldset class="webhook-events">
      <legend>Events</legend>
      <label class="checkbox">
        <input type="radio" name="webhook-events" checked={value === null} onChange={() => onChange(null)} />
        <span>All events<span class="hint">Including event types Herald adds later.</span></span>
      </label>
      <label class="checkbox">
        <input type="radio" name="webhook-events" checked={value !== null} onChange={() => onChange(picked)} />
        <span>Only these:</span>
      </label>
      {value !== null && (
        <div class="webhook-event-list">
          {WEBHOOK_EVENT_TYPES.map((t) => (
            <Checkbox key={t} label={<code>{t}</code>} hint={WEBHOOK_EVENT_LABELS[t]} checked={value.includes(t)}
              onChange={(on) => choose(on ? [...value, t] : value.filter((x) => x !== t))} />
          ))}
        </div>
      )}
      {error && <p class="field-error">{error}</p>}
    </fieldset>
  );
}

export function EndpointForm({ initial, submitLabel, onSubmit, onCancel }: {
  initial?: WebhookEndpointView;
  submitLabel: string;
  onSubmit: (fields: EndpointFields & { url: string }) => Promise<void>;
  onCancel?: () => void;
}) {
  const [url, setUrl] = useState(initial?.url ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [types, setTypes] = useState<WebhookEventType[] | null>(initial?.event_types ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useRevealErrors(form, error);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ url: url.trim(), description: description.trim(), event_types: types });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form ref={form} onSubmit={submit} noValidate class="form-grid">
      <TextField label="Endpoint URL" type="url" placeholder="https://api.example.com/webhooks/herald" value={url} onValue={setUrl}
        hint="A public https address of your server. Herald POSTs each event there, signed." error={error?.field("url")} />
      <TextField label="Description" placeholder="Order service (production)" value={description} onValue={setDescription} maxLength={200} error={error?.field("description")} />
      <EventPicker value={types} onChange={setTypes} error={error?.field("event_types")} />
      <FormError error={error} fields={["url", "description", "event_types"]} />
      <div class="form-actions">
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
        <Button type="submit" variant="primary" busy={busy} disabled={!url.trim() || (types !== null && types.length === 0)}>{submitLabel}</Button>
      </div>
    </form>
  );
}
