// A duration typed in minutes, hours or days and held as seconds (what the API takes): the
// time to live in Settings and Compose. Its own module so the pages that use it carry it,
// not the dashboard's initial bundle.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { DURATION_UNITS, type DurationUnit, fmtDuration, splitDuration, unitSeconds } from "../lib/format";
import { Field } from "./ui";

/**
 * A duration typed in minutes, hours or days, held as seconds (what the API takes).
 * `seconds` is a string so an empty field stays empty; over `maxSeconds` it says so itself.
 */
export function DurationField({ label, seconds, onSeconds, maxSeconds, error, hint, disabled }: {
  label: ComponentChildren; seconds: string; onSeconds: (seconds: string) => void; maxSeconds: number;
  error?: string; hint?: ComponentChildren; disabled?: boolean;
}) {
  const [unit, setUnit] = useState<DurationUnit>(() => splitDuration(Number(seconds)).unit);
  const [text, setText] = useState(() => (seconds === "" ? "" : String(splitDuration(Number(seconds)).value)));
  const toSeconds = (t: string, u: DurationUnit) => (t.trim() === "" || !Number.isFinite(Number(t)) ? "" : String(Math.round(Number(t) * unitSeconds(u))));
  // The form replaced the value (saved, reset): show it in its own best unit.
  useEffect(() => {
    if (toSeconds(text, unit) === seconds) return;
    const split = splitDuration(Number(seconds));
    setUnit(split.unit);
    setText(seconds === "" ? "" : String(split.value));
  }, [seconds]);
  const n = seconds === "" ? null : Number(seconds);
  const tooLong = n !== null && n > maxSeconds ? `At most ${fmtDuration(maxSeconds)}.` : undefined;
  const negative = n !== null && n < 0 ? "Use 0 or more." : undefined;
  return (
    <Field label={label} error={error ?? tooLong ?? negative} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <div class="duration">
          <input id={id} type="number" inputMode="decimal" min={0} step="any" value={text} disabled={disabled}
            aria-describedby={describedBy} aria-invalid={invalid || undefined}
            onInput={(e) => {
              const t = (e.currentTarget as HTMLInputElement).value;
              setText(t);
              onSeconds(toSeconds(t, unit));
            }} />
          <select aria-label="Unit" value={unit} disabled={disabled}
            onChange={(e) => {
              const u = (e.currentTarget as HTMLSelectElement).value as DurationUnit;
              setUnit(u);
              onSeconds(toSeconds(text, u));
            }}>
            {DURATION_UNITS.map(([u]) => <option key={u} value={u}>{u}</option>)}
          </select>
        </div>
      )}
    </Field>
  );
}
