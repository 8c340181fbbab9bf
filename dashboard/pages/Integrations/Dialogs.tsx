// The actions on one integration, each in its dialog: a test send (the provider's answer in
// words), new credentials (rotation: they replace the old ones whole), name and settings, delete.
import { useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { Alert, Button, Dialog, FormError, TextField } from "../../components/ui";
import { toApiError } from "../../lib/use-resource";
import { toast } from "../../state/toasts";
import { CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import { PROVIDER_FIELDS } from "../../../workers/contracts/integrations";
import type { ProviderId } from "../../../workers/contracts/providers";
import { type IntegrationTestResult, type IntegrationView, integrationsApi } from "./api";
import { collect, ProviderFields, type Values } from "./ProviderForm";

const TEST_TO: Record<string, { label: string; placeholder: string; type: string }> = {
  email: { label: "Send the test to (email address)", placeholder: "you@example.com", type: "email" },
  sms: { label: "Send the test to (phone number)", placeholder: "+14155550123", type: "tel" },
  whatsapp: { label: "Send the test to (WhatsApp number)", placeholder: "+14155550123", type: "tel" },
  fcm: { label: "Send the test to (FCM registration token of a test device)", placeholder: "dXN1YWxseS0xNTIt…", type: "text" },
};

interface DialogProps {
  siteId: string;
  integration: IntegrationView | null;
  onClose: () => void;
  onChanged: (i?: IntegrationView) => void;
}

export function TestDialog({ siteId, integration: i, onClose, onChanged }: DialogProps) {
  const [to, setTo] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<IntegrationTestResult | null>(null);
  const close = () => (setResult(null), setError(null), onClose());
  const run = async (e: Event) => {
    e.preventDefault();
    if (!i) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await integrationsApi.test(siteId, i.id, to.trim()));
      onChanged();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const spec = TEST_TO[i?.channel ?? "email"] ?? TEST_TO.email!;
  return (
    <Dialog open={!!i} title={`Test ${i?.name ?? ""}`} onClose={close} actions={<Button onClick={close}>Close</Button>}>
      <form onSubmit={run} noValidate class="form-grid" aria-label="Send a test">
        <p class="muted">Herald sends a short test message through {i?.name} right now and shows what the provider answered.</p>
        <TextField label={spec.label} type={spec.type} placeholder={spec.placeholder} value={to} onValue={setTo} error={error?.field("to")} />
        <FormError error={error} fields={["to"]} />
        <div class="form-actions"><Button type="submit" variant="primary" busy={busy} disabled={!to.trim()}>Send test</Button></div>
      </form>
      {result && (
        <div data-testid="test-result">
          <Alert tone={result.ok ? "ok" : result.outcome === "retry" ? "warn" : "error"} title={result.ok ? "The provider accepted it" : "The provider did not send it"}>
            {result.message}
          </Alert>
        </div>
      )}
    </Dialog>
  );
}

export function RotateDialog({ siteId, integration: i, onClose, onChanged }: DialogProps) {
  const [values, setValues] = useState<Values>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fields = i ? PROVIDER_FIELDS[i.provider as ProviderId]?.credentials ?? [] : [];
  const close = () => (setValues({}), setError(null), onClose());
  const save = async (e: Event) => {
    e.preventDefault();
    if (!i) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await integrationsApi.update(siteId, i.id, { credentials: collect(fields, values) });
      toast(`New credentials saved for ${updated.name} (${updated.credentials_hint})`);
      setValues({});
      onChanged(updated);
      onClose();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={!!i} title={`New credentials for ${i?.name ?? ""}`} onClose={close}>
      <form onSubmit={save} noValidate class="form-grid" aria-label="Rotate credentials">
        <p class="muted">They replace the current ones ({i?.credentials_hint}) at once: the next send uses them. Revoke the old key at the provider afterwards.</p>
        <ProviderFields fields={fields} values={values} onChange={setValues} error={error} prefix="credentials" />
        <FormError error={error} fields={fields.map((f) => `credentials.${f.name}`)} />
        <div class="form-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Save new credentials</Button>
        </div>
      </form>
    </Dialog>
  );
}

export function EditDialog({ siteId, integration: i, onClose, onChanged }: DialogProps) {
  const fields = i ? PROVIDER_FIELDS[i.provider as ProviderId]?.settings ?? [] : [];
  const initial = () => Object.fromEntries(fields.map((f) => [f.name, String(i?.settings[f.name] ?? "")]));
  const [name, setName] = useState(i?.name ?? "");
  const [values, setValues] = useState<Values>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    if (!i) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await integrationsApi.update(siteId, i.id, { name: name.trim(), ...(fields.length ? { settings: collect(fields, values) } : {}) });
      toast(`${updated.name} saved`);
      onChanged(updated);
      onClose();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={!!i} title={`Edit ${i?.name ?? ""}`} onClose={onClose}>
      <form onSubmit={save} noValidate class="form-grid" aria-label="Edit integration">
        <TextField label="Name" value={name} onValue={setName} error={error?.field("name")} maxLength={100} />
        <ProviderFields fields={fields} values={values} onChange={setValues} error={error} prefix="settings" />
        <FormError error={error} fields={["name", ...fields.map((f) => `settings.${f.name}`)]} />
        <div class="form-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Save</Button>
        </div>
      </form>
    </Dialog>
  );
}

export function DeleteDialog({ siteId, integration: i, others, onClose, onChanged }: DialogProps & { others: number }) {
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    if (!i) return;
    setBusy(true);
    try {
      await integrationsApi.remove(siteId, i.id);
      toast(`${i.name} deleted`);
      onChanged();
    } catch (err) {
      toast(toApiError(err).message, "error");
    } finally {
      setBusy(false);
      onClose();
    }
  };
  const channel = CHANNEL_LABELS[(i?.channel ?? "email") as ChannelId] ?? i?.channel;
  return (
    <Dialog open={!!i} title={`Delete ${i?.name ?? ""}?`} onClose={onClose}
      actions={<><Button onClick={onClose}>Keep it</Button><Button variant="danger" busy={busy} onClick={remove}>Delete integration</Button></>}>
      <p>Its credentials are erased from Herald (revoke them at the provider too).</p>
      {i?.primary && (
        <p>
          {others > 0
            ? `It is the primary for ${channel}: the oldest other ${channel} integration takes over.`
            : `It is the only ${channel} integration: ${channel} messages will fail with “no provider set up” until you add another.`}
        </p>
      )}
    </Dialog>
  );
}
