// The Compose page's channels (issue #8 §5): which channels the campaign goes out on — web push
// always offered, email, SMS, WhatsApp and mobile push (FCM) when the site has a provider for
// them (GET …/integrations), else shown off with the way to Integrations — and, per channel
// picked, what it says, with the API's messages at the fields.
import type { ComponentChildren } from "preact";
import { CHANNEL_LABELS, type ChannelId } from "../../../workers/contracts/channels";
import type { ApiError } from "../../api";
import { Alert, Card, Field, TextField } from "../../components/ui";
import { fmtInt } from "../../lib/format";
import { useResource } from "../../lib/use-resource";
import { integrationsApi } from "../Integrations/api";
import {
  type ChannelsForm, EMAIL_SUBJECT_MAX, IN_APP_BODY_MAX, IN_APP_TITLE_MAX, needsProvider, type ProviderChannel, FCM_BODY_MAX, FCM_TITLE_MAX, OTHER_CHANNELS, type OtherChannel, SMS_MAX_CHARS, smsCount,
} from "./campaign";
import "./compose.css";

const HINTS: Record<ChannelId, string> = {
  web_push: "Browsers subscribed to your site",
  in_app: "The inbox of your signed-in users (the bell on your site)",
  email: "Your users' email addresses",
  sms: "Your users' phone numbers",
  whatsapp: "Your users' phone numbers, on WhatsApp",
  fcm: "Your users' Android and iOS apps",
};

/** "No email provider yet": the channel as a word inside a sentence. */
const PROVIDER_NOUNS: Record<ProviderChannel, string> = { email: "email", sms: "SMS", whatsapp: "WhatsApp", fcm: "FCM" };

/** Which channels the site can send on: a provider set up under Integrations, per channel. */
export function useProviders(siteId: string) {
  const res = useResource(() => integrationsApi.list(siteId), [siteId]);
  const has = (c: ChannelId) => !needsProvider(c) || !!res.data?.data.some((i) => i.channel === c);
  const problem = (c: ChannelId) => res.data?.data.find((i) => i.channel === c && i.primary)?.problem?.message ?? null;
  return { loading: res.loading && !res.data, error: res.error, has, problem };
}
export type Providers = ReturnType<typeof useProviders>;

export function ChannelPicker({ siteId, value, onChange, providers, error }: {
  siteId: string; value: ChannelsForm; onChange: (f: ChannelsForm) => void; providers: Providers;
  /** The API's message for a channel (channel_not_configured names channels.<index>). */
  error: (c: ChannelId | "any") => string | undefined;
}) {
  const toggle = (c: ChannelId, on: boolean) => onChange({ ...value, on: { ...value.on, [c]: on } });
  const integrations = `/sites/${siteId}/integrations`;
  const note = (c: ChannelId): ComponentChildren => {
    if (!needsProvider(c)) return HINTS[c];
    if (providers.loading) return "Checking your providers…";
    if (providers.has(c)) return providers.problem(c) ? <>{HINTS[c]} · <span class="chan-warn">{providers.problem(c)}</span></> : HINTS[c];
    if (providers.error) return "Could not check your providers just now.";
    return <>No {PROVIDER_NOUNS[c]} provider yet · <a href={integrations}>Set one up</a></>;
  };
  return (
    <Card title="Channels">
      <fieldset class="choice-cards chan-picker">
        <legend class="visually-hidden">Channels to send on</legend>
        {(["web_push", ...OTHER_CHANNELS] as ChannelId[]).map((c) => {
          // Off and not sendable: offered once a provider exists. A channel the draft already
          // has stays on, so it can be turned off (the API refuses the send until it is fixed).
          const disabled = !value.on[c] && !providers.has(c);
          const err = error(c);
          return (
            <label key={c} class={`${value.on[c] ? "on" : ""} ${disabled ? "off" : ""} ${err ? "invalid" : ""}`}>
              <input type="checkbox" name="channels" value={c} checked={value.on[c]} disabled={disabled} aria-invalid={err ? true : undefined}
                onChange={(e) => toggle(c, (e.currentTarget as HTMLInputElement).checked)} />
              <span>
                <strong>{CHANNEL_LABELS[c]}</strong>
                <span class="hint">{note(c)}</span>
                {err && <span class="field-error">{err}</span>}
              </span>
            </label>
          );
        })}
      </fieldset>
      {error("any") && <p class="field-error" role="alert">{error("any")}</p>}
      {providers.error && !providers.error.missingRoute && (
        <p class="muted small">Your providers could not be read ({providers.error.message}); channels other than web push are offered once they can.</p>
      )}
    </Card>
  );
}

function TextArea({ label, value, onValue, error, hint, rows = 4, maxLength, mono, placeholder }: {
  label: string; value: string; onValue: (v: string) => void; error?: string; hint?: ComponentChildren; rows?: number; maxLength?: number; mono?: boolean; placeholder?: string;
}) {
  return (
    <Field label={label} error={error} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} rows={rows} maxLength={maxLength} class={mono ? "mono" : undefined} placeholder={placeholder} aria-describedby={describedBy}
          aria-invalid={invalid || undefined} value={value} onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)} />
      )}
    </Field>
  );
}

/** "46 characters · 1 SMS" — and why a message costs more than expected (UCS-2, parts). */
export function smsHint(text: string) {
  const c = smsCount(text);
  const parts = c.segments === 1 ? "1 SMS" : `${fmtInt(c.segments)} SMS parts`;
  const why = c.encoding === "UCS-2" ? " · special characters or emoji: 70 characters per SMS" : "";
  return `${fmtInt(c.chars)}/${fmtInt(SMS_MAX_CHARS)} characters · ${parts}${why}`;
}

/** The content fields of each channel picked beside web push. */
export function ChannelContent({ value, onChange, err, errExact }: {
  value: ChannelsForm; onChange: (f: ChannelsForm) => void;
  err: (path: string) => string | undefined;
  /** A message for exactly this path (e.g. "channel_content.email": no content for a picked channel). */
  errExact: (path: string) => string | undefined;
}) {
  const set = <C extends OtherChannel>(c: C, patch: Partial<ChannelsForm[C]>) => onChange({ ...value, [c]: { ...value[c], ...patch } });
  const whole = (c: OtherChannel) => errExact(`channel_content.${c}`) && <Alert>{errExact(`channel_content.${c}`)}</Alert>;
  const p = (c: OtherChannel, field: string) => err(`channel_content.${c}.${field}`);
  return (
    <>
      {value.on.in_app && (
        <Card title="In-app inbox">
          {whole("in_app")}
          <TextField label="Title" required maxLength={IN_APP_TITLE_MAX} value={value.in_app.title} onValue={(title) => set("in_app", { title })}
            error={p("in_app", "title")} hint={`${value.in_app.title.length}/${IN_APP_TITLE_MAX}`} />
          <TextArea label="Message" value={value.in_app.body} onValue={(body) => set("in_app", { body })} error={p("in_app", "body")} maxLength={IN_APP_BODY_MAX}
            rows={3} hint={`${value.in_app.body.length}/${IN_APP_BODY_MAX} · Shown in each signed-in user's inbox until they archive it.`} />
          <TextField label="Link (optional)" type="url" value={value.in_app.url} onValue={(url) => set("in_app", { url })} error={p("in_app", "url")}
            placeholder="https://example.com/sale" hint="Opened when the user clicks the item." />
        </Card>
      )}
      {value.on.email && (
        <Card title="Email">
          {whole("email")}
          <TextField label="Subject" required maxLength={EMAIL_SUBJECT_MAX} value={value.email.subject} onValue={(subject) => set("email", { subject })}
            error={p("email", "subject")} hint={`${value.email.subject.length}/${EMAIL_SUBJECT_MAX}`} />
          <TextArea label="Text" value={value.email.text} onValue={(text) => set("email", { text })} error={p("email", "text")} rows={5}
            hint="Plain text. Give text, HTML or both: mail apps that do not show HTML show this." />
          <TextArea label="HTML (optional)" value={value.email.html} onValue={(html) => set("email", { html })} error={p("email", "html")} rows={5} mono
            placeholder="<p>Only this weekend…</p>" hint="Sent as written, from the address set on the email integration." />
        </Card>
      )}
      {value.on.sms && (
        <Card title="SMS">
          {whole("sms")}
          <TextArea label="Text" value={value.sms.text} onValue={(text) => set("sms", { text })} error={p("sms", "text")} maxLength={SMS_MAX_CHARS}
            hint={smsHint(value.sms.text)} rows={3} />
        </Card>
      )}
      {value.on.whatsapp && (
        <Card title="WhatsApp">
          {whole("whatsapp")}
          <TextArea label="Text" value={value.whatsapp.text} onValue={(text) => set("whatsapp", { text })} error={p("whatsapp", "text") ?? p("whatsapp", "content_sid")}
            maxLength={SMS_MAX_CHARS} rows={3}
            hint={`${fmtInt(value.whatsapp.text.length)}/${fmtInt(SMS_MAX_CHARS)} · Free text reaches people who wrote to you in the last 24 hours; others need an approved template (content_sid, through the API).`} />
          {value.whatsapp.content_sid && <p class="muted small">Uses the approved template <code>{value.whatsapp.content_sid}</code> set through the API.</p>}
        </Card>
      )}
      {value.on.fcm && (
        <Card title="Mobile push (FCM)">
          {whole("fcm")}
          <TextField label="Title" required maxLength={FCM_TITLE_MAX} value={value.fcm.title} onValue={(title) => set("fcm", { title })} error={p("fcm", "title")}
            hint={`${value.fcm.title.length}/${FCM_TITLE_MAX}`} />
          <TextArea label="Message" value={value.fcm.body} onValue={(body) => set("fcm", { body })} error={p("fcm", "body")} maxLength={FCM_BODY_MAX} rows={3}
            hint={`${value.fcm.body.length}/${FCM_BODY_MAX}`} />
        </Card>
      )}
    </>
  );
}

/** The API paths the channel fields show messages for (FormError lists the rest). */
export const CHANNEL_PATHS = ["channels", "channel_content"];

/** The API's channels.<index> messages, per channel of the request that was sent. */
export function channelErrorAt(error: ApiError | null, sent: ChannelId[]) {
  return (c: ChannelId | "any") => {
    if (!error) return undefined;
    if (c === "any") return error.fields.find((f) => f.path === "channels")?.message;
    const i = sent.indexOf(c);
    return i < 0 ? undefined : error.fields.find((f) => f.path === `channels.${i}`)?.message;
  };
}

