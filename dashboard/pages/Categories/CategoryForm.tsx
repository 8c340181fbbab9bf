// Create or edit a category: its key (fixed once created), name, description, whether users get
// it by default or cannot leave it, channels switched off by default, and a digest rule (every N
// minutes from the first event, or once a day at a time in each user's timezone). Field errors
// come back from the API under its own paths (digest.window_minutes …).
import { useRef, useState } from "preact/hooks";
import { Button, Checkbox, FormError, SelectField, TextField, useRevealErrors } from "../../components/ui";
import { useSubmit } from "../../lib/use-submit";
import { CHANNEL_IDS, CHANNEL_LABELS } from "../../../workers/contracts/channels";
import type { Category, NewCategory } from "./api";

type DigestMode = "none" | "window" | "daily";

export function CategoryForm({ initial, submitLabel, onSubmit, onCancel }: {
  initial?: Category; submitLabel: string; onSubmit: (c: NewCategory) => Promise<void>; onCancel: () => void;
}) {
  const [key, setKey] = useState(initial?.key ?? "");
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [defaultEnabled, setDefaultEnabled] = useState(initial?.default_enabled ?? true);
  const [required, setRequired] = useState(initial?.required ?? false);
  const [off, setOff] = useState<Set<string>>(new Set(Object.entries(initial?.channels ?? {}).filter(([, on]) => on === false).map(([c]) => c)));
  const [mode, setMode] = useState<DigestMode>(initial?.digest?.daily_at ? "daily" : initial?.digest ? "window" : "none");
  const [minutes, setMinutes] = useState(String(initial?.digest?.window_minutes ?? 30));
  const [dailyAt, setDailyAt] = useState(initial?.digest?.daily_at ?? "09:00");
  const form = useRef<HTMLFormElement>(null);

  const { busy, error, submit } = useSubmit(() =>
    onSubmit({
      key,
      name: name.trim(),
      description: description.trim() || null,
      default_enabled: defaultEnabled,
      required,
      channels: Object.fromEntries([...off].map((c) => [c, false])),
      digest: mode === "none" ? null : mode === "window" ? { window_minutes: Number(minutes) } : { daily_at: dailyAt },
    }),
  );
  useRevealErrors(form, error);
  const err = (path: string) => error?.field(path);

  return (
    <form onSubmit={submit} noValidate ref={form} class="category-form">
      <div class="grid-2">
        <TextField label="Key" value={key} onValue={setKey} error={err("key")} disabled={!!initial} maxLength={64}
          hint={initial ? "Messages name the category by its key; it cannot change." : "What messages send as category: lower-case letters, digits, - and _."} />
        <TextField label="Name" value={name} onValue={setName} error={err("name")} maxLength={100} hint="What users see in their preferences." />
      </div>
      <TextField label="Description" value={description} onValue={setDescription} error={err("description")} maxLength={500} />
      <Checkbox label="Users get it until they switch it off" checked={defaultEnabled} onChange={setDefaultEnabled} disabled={required} />
      <Checkbox label="Required: users cannot switch it off" checked={required} onChange={setRequired}
        hint="For security alerts and receipts: sent through opt-outs, quiet hours and digests." />
      <fieldset class="plain category-channels">
        <legend>Channels on by default</legend>
        {CHANNEL_IDS.map((c) => (
          <Checkbox key={c} label={CHANNEL_LABELS[c]} checked={!off.has(c)} disabled={required}
            onChange={(on) => setOff((s) => { const next = new Set(s); if (on) next.delete(c); else next.add(c); return next; })} />
        ))}
      </fieldset>
      <div class="grid-2">
        <SelectField label="Digest" value={mode} onValue={(v) => setMode(v as DigestMode)} disabled={required} error={err("digest")}
          options={[["none", "No digest: send each one"], ["window", "Collect for a number of minutes"], ["daily", "Collect until a time each day"]]}
          hint="Email, SMS and push get one message listing the events; the in-app inbox still shows each." />
        {mode === "window" && (
          <TextField label="Minutes from the first event" type="number" min={1} max={1440} value={minutes} onValue={setMinutes} error={err("digest.window_minutes")} />
        )}
        {mode === "daily" && <TextField label="Time of day (user's timezone)" type="time" value={dailyAt} onValue={setDailyAt} error={err("digest.daily_at")} />}
      </div>
      <div class="form-actions">
        <FormError error={error} fields={["key", "name", "description", "digest", "channels"]} />
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>{submitLabel}</Button>
      </div>
    </form>
  );
}
