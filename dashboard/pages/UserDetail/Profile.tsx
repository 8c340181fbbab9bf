// A user's profile: e-mail, phone, language, time zone and attributes, editable by those who
// may write users. Only the fields changed are sent (a PATCH that names the e-mail or phone
// makes the API forget that channel's "unreachable" mark, so an unchanged one is left out); an
// emptied field is sent as null (cleared). The API's messages are shown at their fields.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../../api";
import { Button, Card, Field, FormError, SelectField, TextField, useRevealErrors } from "../../components/ui";
import { allTimeZones } from "../../lib/timezone";
import { toApiError } from "../../lib/use-resource";
import { toast } from "../../state/toasts";
import type { SiteUser, SiteUserPatch } from "../../types";

interface Form { email: string; phone: string; locale: string; timezone: string; attributes: string }

const formOf = (u: SiteUser): Form => ({
  email: u.email ?? "",
  phone: u.phone ?? "",
  locale: u.locale ?? "",
  timezone: u.timezone ?? "",
  attributes: Object.keys(u.attributes ?? {}).length ? JSON.stringify(u.attributes, null, 2) : "",
});

/** The fields that differ from the stored user, as the API takes them; or an error naming a field. */
function patchOf(f: Form, u: SiteUser): SiteUserPatch | ApiError {
  const patch: SiteUserPatch = {};
  const text = (v: string) => v.trim() || null;
  if (text(f.email) !== (u.email ?? null)) patch.email = text(f.email);
  // Phone numbers are typed with spaces and dashes; E.164 has none.
  const phone = f.phone.replace(/[\s().-]/g, "") || null;
  if (phone !== (u.phone ?? null)) patch.phone = phone;
  if (text(f.locale) !== (u.locale ?? null)) patch.locale = text(f.locale);
  if ((f.timezone || null) !== (u.timezone ?? null)) patch.timezone = f.timezone || null;
  let attributes: unknown = {};
  if (f.attributes.trim()) {
    try {
      attributes = JSON.parse(f.attributes);
    } catch {
      attributes = undefined;
    }
  }
  if (!attributes || typeof attributes !== "object" || Array.isArray(attributes)) {
    return new ApiError(0, "invalid_attributes", "Please correct the highlighted field.", [
      { path: "attributes", message: 'Must be a JSON object, like {"plan": "pro", "name": "Ada"}.' },
    ]);
  }
  if (JSON.stringify(attributes) !== JSON.stringify(u.attributes ?? {})) patch.attributes = attributes as Record<string, unknown>;
  return patch;
}

const FIELDS = ["email", "phone", "locale", "timezone", "attributes"];

export function Profile({ user, writable, onSaved, save }: {
  user: SiteUser; writable: boolean; onSaved: (u: SiteUser) => void; save: (patch: SiteUserPatch) => Promise<SiteUser>;
}) {
  const [f, setF] = useState<Form>(formOf(user));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useRevealErrors(form, error);
  useEffect(() => setF(formOf(user)), [user]);
  const set = (k: keyof Form) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const zones = allTimeZones();

  const submit = async (e: Event) => {
    e.preventDefault();
    const patch = patchOf(f, user);
    if (patch instanceof ApiError) return setError(patch);
    setError(null);
    if (!Object.keys(patch).length) return toast("Nothing changed");
    setBusy(true);
    try {
      onSaved(await save(patch));
      toast("Profile saved");
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (!writable) {
    return (
      <Card title="Profile">
        <dl class="kv">
          <dt>E-mail</dt><dd>{user.email ?? "—"}</dd>
          <dt>Phone</dt><dd>{user.phone ?? "—"}</dd>
          <dt>Language</dt><dd>{user.locale ?? "—"}</dd>
          <dt>Time zone</dt><dd>{user.timezone ?? "—"}</dd>
          <dt>Attributes</dt><dd>{Object.keys(user.attributes ?? {}).length ? <pre class="mono small break">{JSON.stringify(user.attributes, null, 2)}</pre> : "—"}</dd>
        </dl>
      </Card>
    );
  }
  return (
    <Card title="Profile">
      <form ref={form} onSubmit={submit} class="form-grid" noValidate>
        <FormError error={error} fields={FIELDS} />
        <div class="grid-2">
          <TextField label="E-mail" type="email" autocomplete="off" value={f.email} onValue={set("email")} error={error?.field("email")}
            hint="Where e-mail messages go. Leave empty to remove." />
          <TextField label="Phone" type="tel" autocomplete="off" placeholder="+14155550123" value={f.phone} onValue={set("phone")} error={error?.field("phone")}
            hint="For SMS and WhatsApp, in international form: + and country code." />
          <TextField label="Language" placeholder="en, fr-CA, pt-BR" value={f.locale} onValue={set("locale")} error={error?.field("locale")}
            hint="Picks the template language sent to them." />
          <SelectField label="Time zone" value={f.timezone} onValue={set("timezone")} error={error?.field("timezone")}
            options={[["", "Not set"], ...(f.timezone && !zones.includes(f.timezone) ? [f.timezone] : []), ...zones]} />
        </div>
        <Field label="Attributes" error={error?.field("attributes")} hint='A JSON object templates can use, like {"plan": "pro", "name": "Ada"}. It replaces the stored one.'>
          {({ id, describedBy, invalid }) => (
            <textarea id={id} rows={4} class="mono" aria-describedby={describedBy} aria-invalid={invalid || undefined} value={f.attributes}
              placeholder='{"plan": "pro"}' spellcheck={false} onInput={(e) => set("attributes")((e.currentTarget as HTMLTextAreaElement).value)} />
          )}
        </Field>
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>Save profile</Button>
        </div>
      </form>
    </Card>
  );
}
