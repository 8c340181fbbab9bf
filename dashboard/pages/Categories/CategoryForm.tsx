// Create or edit a category: its key (fixed once created), name, description, whether users get
// it by default or cannot leave it, channels switched off by default, and a digest rule (every N
// minutes from the first event, or once a day at a time in each user's timezone). Field errors
// come back from the API under its own paths (digest.window_minutes …).
import { useRef, useState } from "preact/hooks";
import { DigestRuleField } from "../../components/DigestRuleField";
import { Button, Checkbox, FormError, TextField, useRevealErrors } from "../../components/ui";
import { useSubmit } from "../../lib/use-submit";
import { CHANNEL_IDS, CHANNEL_LABELS } from "../../../workers/contracts/channels";
import type { Category, NewCategory } from "./api";

export function CategoryForm({ initial, submitLabel, onSubmit, onCancel }: {
  initial?: Category; submitLabel: string; onSubmit: (c: NewCategory) => Promise<void>; onCancel: () => void;
}) {
  const [key, setKey] = useState(initial?.key ?? "");
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [defaultEnabled, setDefaultEnabled] = useState(initial?.default_enabled ?? true);
  const [required, setRequired] = useState(initial?.required ?? false);
  const [off, setOff] = useState<Set<string>>(new Set(Object.entries(initial?.channels ?? {}).filter(([, on]) => on === false).map(([c]) => c)));
  const [digest, setDigest] = useState(initial?.digest ?? null);
  const form = useRef<HTMLFormElement>(null);

  const { busy, error, submit } = useSubmit(() =>
    onSubmit({
      key,
      name: name.trim(),
      description: description.trim() || null,
      default_enabled: defaultEnabled,
      required,
      channels: Object.fromEntries([...off].map((c) => [c, false])),
      digest,
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
      <DigestRuleField initial={initial?.digest} onValue={setDigest} disabled={required} error={(p) => err(`digest${p}`)} />
      <div class="form-actions">
        <FormError error={error} fields={["key", "name", "description", "digest", "channels"]} />
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>{submitLabel}</Button>
      </div>
    </form>
  );
}
