// A digest rule (contracts/preferences.ts DigestRule) as a form shows it: no digest, every N
// minutes from the first event, or once a day at a time in each user's timezone. Used by the
// category form and the template editor; errors come back under `<prefix>.window_minutes` …
import { useState } from "preact/hooks";
import type { DigestRule } from "../../workers/contracts/preferences";
import { SelectField, TextField } from "./ui";

type Mode = "none" | "window" | "daily";

export function DigestRuleField({ initial, onValue, disabled, error, hint }: {
  initial: DigestRule | null | undefined;
  onValue: (rule: DigestRule | null) => void;
  disabled?: boolean;
  /** The form's error lookup for a field path under the rule ("" is the rule itself). */
  error: (path: string) => string | undefined;
  hint?: string;
}) {
  const [mode, setMode] = useState<Mode>(initial?.daily_at ? "daily" : initial ? "window" : "none");
  const [minutes, setMinutes] = useState(String(initial?.window_minutes ?? 30));
  const [dailyAt, setDailyAt] = useState(initial?.daily_at ?? "09:00");
  // error("") also finds the sub-field's message (a prefix match): show it once, at the sub-field.
  const sub = mode === "window" ? error(".window_minutes") : mode === "daily" ? error(".daily_at") : undefined;
  const own = error("");
  const emit = (m: Mode, min: string, at: string) => onValue(m === "none" ? null : m === "window" ? { window_minutes: Number(min) } : { daily_at: at });
  return (
    <div class="grid-2">
      <SelectField label="Digest" value={mode} onValue={(v) => { setMode(v as Mode); emit(v as Mode, minutes, dailyAt); }} disabled={disabled} error={own !== sub ? own : undefined}
        options={[["none", "No digest: send each one"], ["window", "Collect for a number of minutes"], ["daily", "Collect until a time each day"]]}
        hint={hint ?? "Email, SMS and push get one message listing the events; the in-app inbox still shows each."} />
      {mode === "window" && (
        <TextField label="Minutes from the first event" type="number" min={1} max={1440} value={minutes} disabled={disabled}
          onValue={(v) => { setMinutes(v); emit(mode, v, dailyAt); }} error={error(".window_minutes")} />
      )}
      {mode === "daily" && (
        <TextField label="Time of day (user's timezone)" type="time" value={dailyAt} disabled={disabled}
          onValue={(v) => { setDailyAt(v); emit(mode, minutes, v); }} error={error(".daily_at")} />
      )}
    </div>
  );
}
