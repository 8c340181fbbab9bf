// Integrations: the outside providers that deliver the site's email, SMS, WhatsApp and mobile
// push, per channel — add one, send a test and read the provider's answer, rotate credentials,
// make one the primary (the one sends use), delete. Credentials are write-only: the page only
// ever sees their hint (••••last4). Members read; admins and owners change.
import { useState } from "preact/hooks";
import { Alert, Badge, Button, Card, CopyButton, Empty, ErrorState, Loading, PageHeader } from "../../components/ui";
import { fmtRelative } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import { CHANNEL_LABELS } from "../../../workers/contracts/channels";
import { PROVIDERS, type ProviderId } from "../../../workers/contracts/providers";
import { AddForm, PROVIDER_CHANNELS } from "./AddForm";
import { type IntegrationView, integrationsApi } from "./api";
import { DeleteDialog, EditDialog, RotateDialog, TestDialog } from "./Dialogs";
import "./integrations.css";

const providerLabel = (p: string) => PROVIDERS[p as ProviderId]?.label ?? p;

/** The sender a person recognises the integration by. */
function senderOf(i: IntegrationView): string | null {
  const s = i.settings as Record<string, string | undefined>;
  if (s.from_email) return s.from_name ? `${s.from_name} <${s.from_email}>` : s.from_email;
  const senders = [s.from, s.messaging_service_sid, s.whatsapp_from && `whatsapp:${s.whatsapp_from}`].filter(Boolean);
  return senders.length ? senders.join(", ") : null;
}

function IntegrationItem({ i, writable, act }: { i: IntegrationView; writable: boolean; act: (what: "test" | "rotate" | "edit" | "delete" | "primary", i: IntegrationView) => void }) {
  const sender = senderOf(i);
  // Where the provider posts its delivery reports: set it in SendGrid's Event Webhook or as a Resend webhook.
  const eventUrl = `${location.origin}/api/callbacks/${i.provider}/${i.id}`;
  const reportsUrl = i.provider === "sendgrid" ? (i.settings.event_webhook_public_key ? "Event Webhook URL" : null) : i.provider === "resend" ? "Webhook URL (email events)" : null;
  return (
    <li class="integration" data-testid="integration">
      <div class="integration-main">
        <div class="integration-title">
          <strong>{i.name}</strong>
          {i.primary && <Badge tone="green">primary</Badge>}
        </div>
        <span class="muted small">
          {providerLabel(i.provider)} · key <code>{i.credentials_hint}</code>{sender && <> · from {sender}</>}
        </span>
        {i.last_test && (
          <span class={`small integration-test ${i.last_test.ok ? "is-ok" : "is-bad"}`}>
            Tested {fmtRelative(i.last_test.at) === "now" ? "just now" : fmtRelative(i.last_test.at)}: {i.last_test.message}
          </span>
        )}
        {i.problem && <Alert tone="error" title="Sends ran into a problem">{i.problem.message}</Alert>}
        {reportsUrl && (
          <div class="integration-url small">
            <span class="muted">{reportsUrl}</span>
            <code>{eventUrl}</code>
            <CopyButton text={eventUrl} ariaLabel={`Copy the ${reportsUrl} of ${i.name}`} />
          </div>
        )}
      </div>
      {writable && (
        <div class="integration-actions">
          <Button size="sm" onClick={() => act("test", i)}>Send test</Button>
          {!i.primary && <Button size="sm" onClick={() => act("primary", i)}>Make primary</Button>}
          <Button size="sm" variant="ghost" onClick={() => act("rotate", i)}>Rotate credentials</Button>
          <Button size="sm" variant="ghost" onClick={() => act("edit", i)}>Edit</Button>
          <Button size="sm" variant="ghost" onClick={() => act("delete", i)} aria-label={`Delete ${i.name}`}>Delete</Button>
        </div>
      )}
    </li>
  );
}

export default function Integrations() {
  const site = currentSite.value!;
  const res = useResource(() => integrationsApi.list(site.id).then((r) => r.data), [site.id]);
  const writable = can("integrations:write");
  const [adding, setAdding] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ what: "test" | "rotate" | "edit" | "delete"; i: IntegrationView } | null>(null);

  const act = async (what: "test" | "rotate" | "edit" | "delete" | "primary", i: IntegrationView) => {
    if (what !== "primary") return setDialog({ what, i });
    try {
      await integrationsApi.update(site.id, i.id, { primary: true });
      toast(`${i.name} now sends ${CHANNEL_LABELS[i.channel as keyof typeof CHANNEL_LABELS] ?? i.channel}`);
      res.reload();
    } catch (err) {
      toast(toApiError(err).message, "error");
    }
  };
  const open = (what: string) => (dialog?.what === what ? dialog.i : null);
  const dialogProps = { siteId: site.id, onClose: () => setDialog(null), onChanged: () => void res.reload() };
  const list = res.data ?? [];

  return (
    <div class="page">
      <PageHeader
        title="Integrations"
        subtitle="The providers that deliver your email, SMS, WhatsApp and mobile push. Credentials are stored sealed and never shown again."
        actions={writable && !adding ? <Button variant="primary" onClick={() => setAdding("email")}>Add integration</Button> : undefined}
      />
      {adding && (
        <AddForm key={adding} siteId={site.id} channel={adding} onCancel={() => setAdding(null)}
          onAdded={(created) => {
            toast(`${created.name} added${created.primary ? ` — it sends your ${CHANNEL_LABELS[created.channel as keyof typeof CHANNEL_LABELS]}` : ""}`);
            setAdding(null);
            void res.reload();
          }} />
      )}
      {res.loading && !res.data && <Loading label="Loading integrations…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="integrations" />}
      {res.data && !writable && list.length === 0 && <Empty title="No integrations yet">An admin or owner of {site.name} can add the providers that deliver email, SMS and mobile push.</Empty>}
      {res.data && (writable || list.length > 0) && (
        <div class="integration-channels">
          {PROVIDER_CHANNELS.map((c) => {
            const mine = list.filter((i) => i.channel === c);
            return (
              <Card key={c} title={CHANNEL_LABELS[c]}
                actions={writable ? <Button size="sm" variant="ghost" onClick={() => setAdding(c)} aria-label={`Add a ${CHANNEL_LABELS[c]} integration`}>Add</Button> : undefined}>
                {mine.length === 0 ? (
                  <p class="muted small">No provider: {CHANNEL_LABELS[c]} messages fail with “no provider set up”.</p>
                ) : (
                  <ul class="integration-list">{mine.map((i) => <IntegrationItem key={i.id} i={i} writable={writable} act={act} />)}</ul>
                )}
              </Card>
            );
          })}
        </div>
      )}
      <TestDialog {...dialogProps} integration={open("test")} />
      <RotateDialog {...dialogProps} integration={open("rotate")} />
      <EditDialog key={open("edit")?.id ?? "none"} {...dialogProps} integration={open("edit")} />
      <DeleteDialog {...dialogProps} integration={open("delete")} others={list.filter((x) => x.channel === dialog?.i.channel && x.id !== dialog?.i.id).length} />
    </div>
  );
}
