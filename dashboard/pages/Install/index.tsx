// Install: the two snippets with copy buttons, the steps in order, and a live check of
// the customer's page (POST /install-check fetches it from the edge).
import { useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { Alert, Button, Card, CodeBlock, CopyButton, ErrorState, FormError, Loading, PageHeader, TextField } from "../../components/ui";
import { hostOf } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import type { InstallCheck } from "../../types";

function CheckInstall() {
  const site = currentSite.value!;
  const [url, setUrl] = useState(site.url);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<InstallCheck | null>(null);
  const check = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.installCheck(site.id, url));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const ok = result?.reachable && result.imports_herald;
  return (
    <form onSubmit={check} class="inline-form" noValidate>
      <TextField label="Page to check" type="url" value={url} onValue={setUrl} error={error?.field("url")} class="grow" />
      <Button type="submit" variant="primary" busy={busy}>Check my installation</Button>
      <div class="full">
        <FormError error={error} fields={["url"]} />
        {result && (
          <Alert tone={ok ? "ok" : "warn"} title={ok ? "Herald is installed" : !result.reachable ? "We could not reach that page" : "The page does not load Herald yet"}>
            {result.detail}
          </Alert>
        )}
      </div>
    </form>
  );
}

export default function Install() {
  const site = currentSite.value!;
  const res = useResource(() => api.installCode(site.id), [site.id]);
  const code = res.data;
  return (
    <div class="page">
      <PageHeader title="Install Herald" subtitle={`Three steps to start collecting subscribers on ${hostOf(site.url)}.`} />
      {res.loading && !code && <Loading label="Preparing your snippets…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="the install code" />}
      {code && (
        <ol class="steps">
          <li class="step">
            <div class="step-head"><span class="step-num" aria-hidden="true">1</span><h2>Add the Herald tag to every page</h2></div>
            <p>Paste this just before <code>&lt;/head&gt;</code> in your site template. It loads in the background and never blocks your page.</p>
            <CodeBlock label="SDK snippet" code={code.sdk_snippet} />
          </li>
          <li class="step">
            <div class="step-head"><span class="step-num" aria-hidden="true">2</span><h2>Add the service worker file</h2></div>
            <p>
              Create a file served at <code>{code.service_worker_path}</code> on {hostOf(site.url)} with exactly this content.
              It must be on your own domain, at the root, so browsers let it receive notifications for your whole site.
            </p>
            <CodeBlock label="Service worker" code={code.service_worker_snippet} />
          </li>
          <li class="step">
            <div class="step-head"><span class="step-num" aria-hidden="true">3</span><h2>Check your installation</h2></div>
            <p>We load your page from Herald's edge and look for the tag.</p>
            <CheckInstall />
          </li>
        </ol>
      )}
      <Card title="Details for developers">
        <dl class="kv">
          <dt>Site key</dt>
          <dd><code>{site.site_key}</code> <CopyButton text={site.site_key} label="Copy site key" /></dd>
          <dt>Allowed origins</dt>
          <dd>
            {site.settings.allowed_origins.length ? site.settings.allowed_origins.join(", ") : <span class="muted">Only {hostOf(site.url)}</span>}
            {can("settings:write") && <> · <a href={`/sites/${site.id}/settings`}>Change</a></>}
          </dd>
          <dt>API reference</dt>
          <dd><a href="/docs" target="_blank" rel="noopener">Herald API docs</a></dd>
        </dl>
      </Card>
    </div>
  );
}
