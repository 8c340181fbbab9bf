// Compose's A/B test (issue #10 §7): 2–5 variants of the title (and optionally the message), the
// share of the audience they are tried on, how long, and whether the best click-through goes to
// the rest by itself or waits for you. Sent as the API's ab_test (workers/contracts/ab-test.ts).
import type { AbTest } from "../../../workers/contracts/ab-test";
import { Button, Checkbox, SelectField, TextField } from "../../components/ui";

export interface AbForm {
  on: boolean;
  variants: Array<{ title: string; body: string }>;
  share: string;
  minutes: string;
  manual: boolean;
}
export const emptyAb = (): AbForm => ({ on: false, variants: [{ title: "", body: "" }, { title: "", body: "" }], share: "20", minutes: "120", manual: false });

export function toAbTest(f: AbForm): AbTest | undefined {
  if (!f.on) return undefined;
  return {
    variants: f.variants.map((v) => ({ title: v.title.trim(), ...(v.body.trim() ? { body: v.body.trim() } : {}) })),
    test_share: Number(f.share) / 100,
    window_minutes: Number(f.minutes),
    ...(f.manual ? { pick: "manual" as const } : {}),
  };
}

export function AbTestFields({ value: f, onChange, error }: { value: AbForm; onChange: (f: AbForm) => void; error: (p: string) => string | undefined }) {
  const set = (patch: Partial<AbForm>) => onChange({ ...f, ...patch });
  const setVariant = (i: number, patch: Partial<AbForm["variants"][number]>) => set({ variants: f.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)) });
  return (
    <div class="ab-fields">
      <Checkbox label="Try variants on part of the audience first" checked={f.on} onChange={(on) => set({ on })}
        hint="Each variant goes to an even slice of the test share; the best click-through goes to everyone else." />
      {f.on && (
        <>
          {f.variants.map((v, i) => (
            <fieldset class="drip-step" key={i}>
              <legend>Variant {String.fromCharCode(65 + i)}</legend>
              <TextField label="Title" value={v.title} onValue={(title) => setVariant(i, { title })} maxLength={200} error={error(`ab_test.variants.${i}.title`) ?? error(`ab_test.variants.${i}`)} />
              <TextField label="Message (optional)" value={v.body} onValue={(body) => setVariant(i, { body })} maxLength={1000} hint="Empty: the message above." />
              {f.variants.length > 2 && <Button size="sm" variant="ghost" onClick={() => set({ variants: f.variants.filter((_, j) => j !== i) })}>Remove variant {String.fromCharCode(65 + i)}</Button>}
            </fieldset>
          ))}
          {f.variants.length < 5 && <Button size="sm" onClick={() => set({ variants: [...f.variants, { title: "", body: "" }] })}>Add a variant</Button>}
          <div class="grid-2">
            <TextField label="Test share (%)" type="number" min={2} max={50} value={f.share} onValue={(share) => set({ share })} error={error("ab_test.test_share")} hint="Of the audience; the rest gets the winner." />
            <TextField label="Test for (minutes)" type="number" min={15} max={2880} value={f.minutes} onValue={(minutes) => set({ minutes })} error={error("ab_test.window_minutes")} />
          </div>
          <SelectField label="Then" value={f.manual ? "manual" : "auto"} onValue={(v) => set({ manual: v === "manual" })}
            options={[["auto", "Send the best click-through to the rest"], ["manual", "Wait for me to pick"]]} error={error("ab_test")} />
        </>
      )}
    </div>
  );
}
