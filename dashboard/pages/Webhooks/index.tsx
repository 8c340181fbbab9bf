// Webhooks: the site's endpoints that receive its events, signed per Standard Webhooks. Add one
// (its signing secret is shown once), choose its events, send a test event, rotate the secret
// (the old one keeps signing for a day), disable or enable it — with the reason when Herald
// disabled it after days of failures — and read each endpoint's delivery log, replaying any
// delivery. Members read; admins and owners change.
import { useState } from "preact/hooks";
import { Alert, Badge, Button, Card, Dialog, Empty, ErrorState, Loading, PageHeader } from "../../components/ui";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { fmtDate, fmtRelative } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import { type IssuedWebhookEndpoint, type WebhookDeliveryView, type WebhookEndpointView, webhooksApi } from "./api";
import { DeliveryLog } from "./DeliveryLog";
import { EndpointForm } from "./EndpointForm";
import { OVERLAP_HOURS, scheduleInWords } from "./format";
import "./webhooks.css";

type Action = "test" | "rotate" | "edit" | "delete" | "toggle";

function EndpointItem({ e, selected, writable, onSelect, act }: {
  e: WebhookEndpointView; selected: boolean; writable: boolean; onSelect: () => void; act: (a: Action, e: WebhookEndpointView) => void;
}) {
  const state = !e.enabled ? "disabled" : e.failing_since ? "failing" : "enabled";
  return (
    <li class={`webhook ${selected ? "is-selected" : ""}`} data-testid="webhook-endpoint">
      <div class="webhook-main">
        <div class="webhook-title">
          <button type="button" class="linklike webhook-url" onClick={onSelect} aria-pressed={selected} aria-label={`Show the delivery log of ${e.url}`}>{e.url}</button>
          <Badge tone={state === "enabled" ? "green" : state === "failing" ? "amber" : "grey"}>{state}</Badge>
        </div>
        {e.description && <span class="small">{e.description}</span>}
        <span class="muted small">
          {e.event_types === null ? "All events" : <span class="tags">{e.event_types.map((t) => <span class="tag" key={t}>{t}</span>)}</span>}
        </span>
        <span class="muted small">
          Secret ends in <code>{e.secret_hint}</code>
          {e.previous_secret_valid_until && <> · the previous secret also signs until {fmtDate(e.previous_secret_valid_until)}</>}
        </span>
        {e.enabled && e.failing_since && <span class="small webhook-error">Every attempt has failed since {fmtDate(e.failing_since)}.</span>}
        {!e.enabled && e.disabled_reason && <Alert tone="error" title="Disabled by Herald">{e.disabled_reason}</Alert>}
        {!e.enabled && !e.disabled_reason && <span class="muted small">Disabled {e.disabled_at ? fmtRelative(e.disabled_at) : ""}: no events are sent to it.</span>}
      </div>
      {writable && (
        <div class="webhook-actions">
          <Button size="sm" onClick={() => act("test", e)}>Send test event</Button>
          <Button size="sm" variant={e.enabled ? "ghost" : "primary"} onClick={() => act("toggle", e)}>{e.enabled ? "Disable" : "Enable"}</Button>
          <Button size="sm" variant="ghost" onClick={() => act("edit", e)}>Edit</Button>
          <Button size="sm" variant="ghost" onClick={() => act("rotate", e)}>Rotate secret</Button>
          <Button size="sm" variant="ghost" onClick={() => act("delete", e)} aria-label={`Delete ${e.url}`}>Delete</Button>
        </div>
      )}
    </li>
  );
}

function TestResult({ d }: { d: WebhookDeliveryView }) {
  const ok = d.status === "succeeded";
  return (
    <div data-testid="test-result">
      <Alert tone={ok ? "ok" : "error"} title={ok ? `Delivered: the endpoint answered HTTP ${d.response_status}` : "Not delivered"}>
        {ok ? `In ${d.duration_ms} ms. It is in the delivery log.` : d.error_detail}
      </Alert>
    </div>
  );
}

export default function Webhooks() {
  const site = currentSite.value!;
  const writable = can("webhooks:write");
  const res = useResource(() => webhooksApi.list(site.id).then((r) => r.data), [site.id]);
  const [adding, setAdding] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ endpoint: IssuedWebhookEndpoint; rotated: boolean } | null>(null);
  const [dialog, setDialog] = useState<{ what: "rotate" | "edit" | "delete"; e: WebhookEndpointView } | null>(null);
  const [testing, setTesting] = useState<{ e: WebhookEndpointView; result: WebhookDeliveryView | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [logKey, setLogKey] = useState(0);
  const list = res.data ?? [];
  const selected = list.find((e) => e.id === selectedId) ?? list[0] ?? null;

  const guarded = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      toast(toApiError(err).message, "error");
    } finally {
      setBusy(false);
    }
  };
  const act = (what: Action, e: WebhookEndpointView) => {
    if (what === "test") {
      setSelectedId(e.id);
      setTesting({ e, result: null });
      void guarded(async () => {
        const result = await webhooksApi.test(site.id, e.id);
        setTesting({ e, result });
        setLogKey((k) => k + 1);
        void res.reload();
      }).finally(() => setTesting((t) => (t && !t.result ? null : t)));
      return;
    }
    if (what === "toggle") {
      void guarded(async () => {
        const updated = await webhooksApi.update(site.id, e.id, { enabled: !e.enabled });
        toast(updated.enabled ? "Enabled: events are sent to it again" : "Disabled: no events are sent to it");
        await res.reload();
      });
      return;
    }
    setDialog({ what, e });
  };
  const close = () => setDialog(null);

  return (
    <div class="page">
      <PageHeader
        title="Webhooks"
        subtitle={<>Herald POSTs your site's events to these endpoints, signed per <a href="https://www.standardwebhooks.com" target="_blank" rel="noopener">Standard Webhooks</a>. A delivery that does not get a 2xx answer is tried again after {scheduleInWords()}.</>}
        actions={writable && !adding ? <Button variant="primary" onClick={() => setAdding(true)}>Add endpoint</Button> : undefined}
      />
      {adding && (
        <Card title="Add an endpoint">
          <EndpointForm submitLabel="Add endpoint" onCancel={() => setAdding(false)}
            onSubmit={async (fields) => {
              const created = await webhooksApi.create(site.id, fields);
              setAdding(false);
              setSelectedId(created.id);
              setSecret({ endpoint: created, rotated: false });
              await res.reload();
            }} />
        </Card>
      )}
      {res.loading && !res.data && <Loading label="Loading endpoints…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="webhooks" />}
      {res.data && list.length === 0 && !adding && (
        <Empty title="No webhook endpoints yet"
          action={writable ? <Button variant="primary" onClick={() => setAdding(true)}>Add endpoint</Button> : undefined}>
          {writable ? "Add your server's URL to receive messages sent, delivered and failed, notifications sent and clicked, and subscriptions as they happen." : `An admin or owner of ${site.name} can add endpoints.`}
        </Empty>
      )}
      {list.length > 0 && (
        <Card title="Endpoints">
          <ul class="webhook-list">
            {list.map((e) => (
              <EndpointItem key={e.id} e={e} selected={selected?.id === e.id} writable={writable} onSelect={() => setSelectedId(e.id)} act={act} />
            ))}
          </ul>
        </Card>
      )}
      {selected && <DeliveryLog key={selected.id} siteId={site.id} endpoint={selected} writable={writable} refreshKey={logKey} />}

      <Dialog open={!!secret} title={secret?.rotated ? "The new signing secret" : "Endpoint added: its signing secret"} onClose={() => setSecret(null)}>
        {secret && (
          <OneTimeSecret secret={secret.endpoint.secret} name="webhook signing secret" onDone={() => setSecret(null)}>
            {secret.rotated
              ? `Put it in your receiver. For the next ${OVERLAP_HOURS} hours every delivery carries a signature with the old secret too, so nothing fails while you deploy it.`
              : "Your receiver verifies each delivery's webhook-signature header with it (any Standard Webhooks library does)."}
          </OneTimeSecret>
        )}
      </Dialog>
      <Dialog open={!!testing} title="Send a test event" onClose={() => setTesting(null)} actions={<Button onClick={() => setTesting(null)}>Close</Button>}>
        <p class="muted">Herald {testing?.result ? "sent" : "is sending"} a <code>webhook.test</code> event to <strong class="webhook-url-text">{testing?.e.url}</strong>.</p>
        {testing && !testing.result && <Loading label="Waiting for the endpoint's answer…" />}
        {testing?.result && <TestResult d={testing.result} />}
      </Dialog>
      <Dialog open={dialog?.what === "edit"} title="Edit endpoint" onClose={close}>
        {dialog?.what === "edit" && (
          <EndpointForm initial={dialog.e} submitLabel="Save" onCancel={close}
            onSubmit={async (fields) => {
              await webhooksApi.update(site.id, dialog.e.id, fields);
              toast("Endpoint saved");
              close();
              await res.reload();
            }} />
        )}
      </Dialog>
      <Dialog open={dialog?.what === "rotate"} title="Rotate the signing secret?" onClose={close}
        actions={<><Button onClick={close}>Cancel</Button><Button variant="primary" busy={busy} onClick={() => dialog && guarded(async () => {
          const rotated = await webhooksApi.rotate(site.id, dialog.e.id);
          close();
          setSecret({ endpoint: rotated, rotated: true });
          await res.reload();
        })}>Rotate secret</Button></>}>
        <p>Herald makes a new secret and shows it once. The current one keeps signing beside it for {OVERLAP_HOURS} hours.</p>
      </Dialog>
      <Dialog open={dialog?.what === "delete"} title="Delete this endpoint?" onClose={close}
        actions={<><Button onClick={close}>Cancel</Button><Button variant="danger" busy={busy} onClick={() => dialog && guarded(async () => {
          await webhooksApi.remove(site.id, dialog.e.id);
          toast("Endpoint deleted");
          close();
          await res.reload();
        })}>Delete endpoint</Button></>}>
        <p><strong class="webhook-url-text">{dialog?.e.url}</strong> stops receiving events, and its delivery log is deleted. This cannot be undone.</p>
      </Dialog>
    </div>
  );
}
