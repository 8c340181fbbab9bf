// Adding an integration: the channel, a provider that delivers it, a name, then that
// provider's credential and setting fields. The API validates with the provider's own schema
// and names the failing field ("credentials.api_key"), shown at that field.
import { useRef, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { Button, Card, FormError, SelectField, TextField, useRevealErrors } from "../../components/ui";
import { toApiError } from "../../lib/use-resource";
import { CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import { PROVIDER_FIELDS } from "../../../workers/contracts/integrations";
import { PROVIDERS, PROVIDER_IDS, type ProviderId } from "../../../workers/contracts/providers";
import { type IntegrationView, integrationsApi } from "./api";
import { collect, ProviderFields, type Values } from "./ProviderForm";

export const PROVIDER_CHANNELS = ["email", "sms", "whatsapp", "fcm"] as const satisfies readonly ChannelId[];
const providersFor = (channel: string) => PROVIDER_IDS.filter((p) => PROVIDERS[p].channels.includes(channel as ChannelId));

export function AddForm({ siteId, channel: initialChannel, onAdded, onCancel }: {
  siteId: string; channel: string; onAdded: (i: IntegrationView) => void; onCancel: () => void;
}) {
  const [channel, setChannel] = useState(initialChannel);
  const [provider, setProvider] = useState<ProviderId>(providersFor(initialChannel)[0]!);
  const [name, setName] = useState(PROVIDERS[provider].label);
  const [credentials, setCredentials] = useState<Values>({});
  const [settings, setSettings] = useState<Values>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useRevealErrors(form, error);

  const pickProvider = (p: ProviderId) => {
    if (name === PROVIDERS[provider].label || !name.trim()) setName(PROVIDERS[p].label);
    setProvider(p);
    setCredentials({});
    setSettings({});
    setError(null);
  };
  const pickChannel = (c: string) => {
    setChannel(c);
    if (!providersFor(c).includes(provider)) pickProvider(providersFor(c)[0]!);
  };
  const fields = PROVIDER_FIELDS[provider];

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await integrationsApi.create(siteId, {
        channel,
        provider,
        name: name.trim(),
        credentials: collect(fields.credentials, credentials),
        settings: collect(fields.settings, settings),
      });
      setCredentials({});
      onAdded(created);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const shown = ["channel", "provider", "name", ...fields.credentials.map((f) => `credentials.${f.name}`), ...fields.settings.map((f) => `settings.${f.name}`)];
  return (
    <Card title="Add an integration">
      <form ref={form} onSubmit={submit} noValidate class="form-grid" aria-label="Add an integration">
        <div class="grid-2">
          <SelectField label="Channel" value={channel} onValue={pickChannel} error={error?.field("channel")} options={PROVIDER_CHANNELS.map((c) => [c, CHANNEL_LABELS[c]] as [string, string])} />
          <SelectField label="Provider" value={provider} onValue={(p) => pickProvider(p as ProviderId)} error={error?.field("provider")}
            options={providersFor(channel).map((p) => [p, PROVIDERS[p].label] as [string, string])} />
        </div>
        <p class="muted small">{fields.help}</p>
        <TextField label="Name" hint="How you tell this one apart, e.g. “SendGrid (marketing)”." value={name} onValue={setName} error={error?.field("name")} maxLength={100} />
        <fieldset class="integration-fieldset">
          <legend>Credentials <span class="muted small">— stored sealed, never shown again</span></legend>
          <ProviderFields fields={fields.credentials} values={credentials} onChange={setCredentials} error={error} prefix="credentials" />
        </fieldset>
        {fields.settings.length > 0 && (
          <fieldset class="integration-fieldset">
            <legend>Settings</legend>
            <ProviderFields fields={fields.settings} values={settings} onChange={setSettings} error={error} prefix="settings" />
          </fieldset>
        )}
        <FormError error={error} fields={shown} />
        <div class="form-actions">
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Add integration</Button>
        </div>
      </form>
    </Card>
  );
}
