// One language's part for one channel: its Liquid fields (and web push buttons), or an offer to
// add the part. Field errors come from the API by path (locales.<lang>.<channel>.<field>), with
// the line and column in their message.
import type { ApiError } from "../../api";
import { Alert, Button, Field, TextField } from "../../components/ui";
import { CHANNELS, type FieldSpec } from "./fields";
import type { TemplateChannel } from "./api";

type Part = Record<string, unknown>;
interface Action { action: string; title: string; url?: string }

function TextArea({ spec, value, onValue, error }: { spec: FieldSpec; value: string; onValue: (v: string) => void; error?: string }) {
  return (
    <Field label={spec.label} hint={spec.hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} class="tpl-src" rows={spec.rows} spellcheck={false} aria-describedby={describedBy} aria-invalid={invalid || undefined}
          value={value} onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)} />
      )}
    </Field>
  );
}

function Buttons({ actions, onChange, err, path }: { actions: Action[]; onChange: (a: Action[]) => void; err: (p: string) => string | undefined; path: string }) {
  const set = (i: number, patch: Partial<Action>) => onChange(actions.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <fieldset class="tpl-buttons">
      <legend>Buttons <span class="muted small">(up to 2)</span></legend>
      {actions.map((a, i) => (
        <div class="grid-3" key={i}>
          <TextField label="Button id" value={a.action} onValue={(v) => set(i, { action: v })} maxLength={32} error={err(`${path}.${i}.action`)} hint="Reported when clicked" />
          <TextField label="Label" value={a.title} onValue={(v) => set(i, { title: v })} error={err(`${path}.${i}.title`)} />
          <TextField label="Link" value={a.url ?? ""} onValue={(v) => set(i, { url: v })} error={err(`${path}.${i}.url`)} />
          <div class="tpl-button-remove"><Button size="sm" variant="ghost" onClick={() => onChange(actions.filter((_, j) => j !== i))}>Remove button {i + 1}</Button></div>
        </div>
      ))}
      {actions.length < 2 && <Button size="sm" onClick={() => onChange([...actions, { action: `button${actions.length + 1}`, title: "" }])}>Add a button</Button>}
    </fieldset>
  );
}

export function PartEditor({ lang, isDefault, channel, part, onChange, error, readOnly }: {
  lang: string; isDefault: boolean; channel: TemplateChannel; part: Part | undefined; onChange: (p: Part | undefined) => void; error: ApiError | null; readOnly: boolean;
}) {
  const spec = CHANNELS[channel];
  const base = `locales.${lang}.${channel}`;
  const err = (p: string) => error?.fields.find((f) => f.path === p)?.message;
  if (!part) {
    return (
      <div class="tpl-empty-part">
        <p>
          The {lang} version has no {spec.noun} part.{" "}
          {spec.note ?? (isDefault ? `Nobody gets this template by ${spec.noun} unless their language has its own part.` : "Recipients in this language get the default language's, if it has one.")}
        </p>
        {!readOnly && <Button onClick={() => onChange({})}>Add {spec.noun} for {lang}</Button>}
      </div>
    );
  }
  const set = (name: string, value: unknown) => onChange({ ...part, [name]: value });
  return (
    <fieldset class="tpl-part" disabled={readOnly}>
      <legend class="visually-hidden">{spec.label} ({lang})</legend>
      {spec.fields.map((f) =>
        f.rows ? (
          <TextArea key={f.name} spec={f} value={String(part[f.name] ?? "")} onValue={(v) => set(f.name, v)} error={err(`${base}.${f.name}`)} />
        ) : (
          <TextField key={f.name} label={f.label} hint={f.hint} value={String(part[f.name] ?? "")} onValue={(v) => set(f.name, v)} error={err(`${base}.${f.name}`)} class="tpl-src-line" />
        ),
      )}
      {channel === "web_push" && <Buttons actions={(part.actions as Action[] | undefined) ?? []} onChange={(a) => set("actions", a)} err={err} path={`${base}.actions`} />}
      {error?.fields.some((f) => f.path === base) && <Alert>{err(base)}</Alert>}
      {!readOnly && (
        <div class="form-actions"><Button variant="ghost" size="sm" onClick={() => onChange(undefined)}>Remove the {spec.noun} part for {lang}</Button></div>
      )}
    </fieldset>
  );
}
