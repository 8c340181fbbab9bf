// API keys (admins): create with scopes — the secret is shown once, with a copy button —
// list with last use, and revoke.
import { useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { Alert, Badge, Button, Card, Checkbox, CopyButton, Dialog, Empty, ErrorState, FormError, Loading, PageHeader, TextField } from "../../components/ui";
import { fmtDate, fmtRelative } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { ApiKey, CreatedApiKey } from "../../types";
import { API_KEY_SCOPES, API_KEY_SCOPE_LABELS } from "../../../workers/contracts/permissions";


export default function ApiKeys() {
  const site = currentSite.value!;
  const res = useResource(() => api.apiKeys(site.id).then((r) => r.data), [site.id]);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["send"]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  if (!can("api_keys:write"))
    return <div class="page"><PageHeader title="API keys" /><Empty title="Admins manage API keys">Ask an admin or owner of {site.name} for a key.</Empty></div>;

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const key = await api.createApiKey(site.id, { name: name.trim(), scopes });
      setCreated(key);
      res.set([key, ...(res.data ?? [])]);
      setName("");
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    try {
      await api.revokeApiKey(site.id, revoking.id);
      toast(`${revoking.name} revoked`);
      res.reload();
    } catch (err) {
      toast(toApiError(err).message, "error");
    }
    setRevoking(null);
  };
  const toggle = (s: string, on: boolean) => setScopes(on ? [...scopes, s] : scopes.filter((x) => x !== s));

  return (
    <div class="page">
      <PageHeader title="API keys" subtitle={<>For your servers: send notifications and sync subscribers with the <a href="/docs" target="_blank" rel="noopener">Herald API</a>.</>} />
      <Card title="Create a key">
        <form onSubmit={create} noValidate class="form-grid">
          <TextField label="Key name" placeholder="Backend (production)" value={name} onValue={setName} error={error?.field("name")} />
          <fieldset class="scopes">
            <legend>Permissions</legend>
            {API_KEY_SCOPES.map((s) => <Checkbox key={s} label={API_KEY_SCOPE_LABELS[s]} hint={s} checked={scopes.includes(s)} onChange={(on) => toggle(s, on)} />)}
            {error?.field("scopes") && <p class="field-error">{error.field("scopes")}</p>}
          </fieldset>
          <FormError error={error} fields={["name", "scopes"]} />
          <div class="form-actions"><Button type="submit" variant="primary" busy={busy} disabled={!scopes.length}>Create key</Button></div>
        </form>
      </Card>
      {res.loading && !res.data && <Loading label="Loading keys…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="API keys" />}
      {res.data?.length === 0 && <Empty title="No API keys yet">Keys you create appear here. Their secret is shown only once.</Empty>}
      {!!res.data?.length && (
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Permissions</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {res.data.map((k) => (
                <tr key={k.id} class={k.revoked_at ? "row-muted" : ""}>
                  <td class="cell-main"><strong>{k.name}</strong><span class="muted small">Created {fmtDate(k.created_at)}</span></td>
                  <td data-label="Key"><code>{k.prefix}…</code></td>
                  <td data-label="Permissions" class="cell-wide"><span class="tags">{k.scopes.map((s) => <span class="tag" key={s}>{s}</span>)}</span></td>
                  <td data-label="Last used">{k.revoked_at ? <Badge>revoked</Badge> : fmtRelative(k.last_used_at) === "—" ? <span class="muted">Never</span> : fmtRelative(k.last_used_at)}</td>
                  <td class="num cell-actions">{!k.revoked_at && <Button size="sm" variant="ghost" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>Revoke</Button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={!!created} title="Your new API key" onClose={() => setCreated(null)} actions={<Button variant="primary" onClick={() => setCreated(null)}>I've saved it</Button>}>
        <Alert tone="warn">Copy it now. For your security, Herald shows this key only once.</Alert>
        <div class="secret">
          <code data-testid="new-api-key">{created?.key}</code>
          {created && <CopyButton text={created.key} label="Copy key" size="md" />}
        </div>
      </Dialog>
      <Dialog open={!!revoking} title={`Revoke ${revoking?.name ?? ""}?`} onClose={() => setRevoking(null)}
        actions={<><Button onClick={() => setRevoking(null)}>Cancel</Button><Button variant="danger" onClick={revoke}>Revoke key</Button></>}>
        <p>Requests using this key will fail immediately. This cannot be undone.</p>
      </Dialog>
    </div>
  );
}
