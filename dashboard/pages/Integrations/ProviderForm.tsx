// The fields a provider asks for (workers/contracts/integrations.ts PROVIDER_FIELDS): secrets as
// password inputs (or a textarea for a pasted JSON file), the rest as text. Values are kept as
// typed; `collect` drops empty ones, so an optional field left blank is simply not sent.
import type { ApiError } from "../../api";
import { Field, TextField } from "../../components/ui";
import type { ProviderField } from "../../../workers/contracts/integrations";

export type Values = Record<string, string>;

/** The non-empty values, trimmed (a secret pasted with a newline still works). */
export function collect(fields: ProviderField[], values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = (values[f.name] ?? "").trim();
    if (v) out[f.name] = v;
  }
  return out;
}

export function ProviderFields({ fields, values, onChange, error, prefix }: {
  fields: ProviderField[]; values: Values; onChange: (v: Values) => void; error: ApiError | null; prefix: "credentials" | "settings";
}) {
  const set = (name: string, v: string) => onChange({ ...values, [name]: v });
  return (
    <>
      {fields.map((f) => {
        const label = f.required ? f.label : <>{f.label} <span class="muted small">(optional)</span></>;
        const err = error?.field(`${prefix}.${f.name}`);
        if (f.kind === "secret_text") {
          return (
            <Field key={f.name} label={label} hint={f.hint} error={err}>
              {({ id, describedBy, invalid }) => (
                <textarea id={id} class="integration-secret-text" rows={6} spellcheck={false} autocomplete="off" placeholder={f.placeholder} value={values[f.name] ?? ""}
                  aria-describedby={describedBy} aria-invalid={invalid || undefined} onInput={(e) => set(f.name, (e.currentTarget as HTMLTextAreaElement).value)} />
              )}
            </Field>
          );
        }
        return (
          <TextField key={f.name} label={label} hint={f.hint} error={err} value={values[f.name] ?? ""} onValue={(v) => set(f.name, v)} placeholder={f.placeholder}
            type={f.kind === "secret" ? "password" : f.kind === "email" ? "email" : "text"} autocomplete={f.kind === "secret" ? "new-password" : "off"} />
        );
      })}
    </>
  );
}
