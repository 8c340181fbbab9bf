// Install: the API's steps (GET /install-code), in its order and words, each with its own
// snippets (copy buttons) and, at the step "check", the live check of the installation
// (POST /install-check, fetched from the edge). Right after the site is created, its identity
// secret is shown here once. Nothing here restates what the API says.
import { useEffect, useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { Alert, Button, Card, CodeBlock, CopyButton, ErrorState, FormError, Loading, PageHeader, TextField } from "../../components/ui";
import { hostOf } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite, newSiteSecret } from "../../state/sites";
import type { InstallCheck, InstallStep } from "../../types";

/** The service worker file the check fetches for what is typed: the same path on its origin. */
function fileToCheck(address: string, path: string): string | null {
  try {
    const u = new URL(address.trim());
    return u.protocol === "https:" || u.protocol === "http:" ? new URL(path, u.origin).href : null;
  } catch {
    return null;
  }
}

function CheckResult({ result }: { result: InstallCheck }) {
  const ok = result.reason === "installed";
  // No HTTP status: nothing answered (DNS, TLS, a refused address …), as opposed to a wrong file.
  const title = ok ? "Herald is installed" : result.status === null ? "Herald could not fetch the file" : "Not installed yet";
  return (
    <Alert tone={ok ? "ok" : "warn"} title={title}>
      <div class="check-result">
        <p>{result.detail}</p>
        <p class="small">Checked <code>{result.url}</code>{result.status !== null && <> (HTTP {result.status})</>}.</p>
      </div>
    </Alert>
  );
}

function CheckInstall({ swPath }: { swPath: string }) {
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
      setResult(await api.installCheck(site.id, url.trim()));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const file = fileToCheck(url, swPath);
  return (
    <form onSubmit={check} class="inline-form" noValidate>
      <TextField label="Your site's address" type="url" value={url} onValue={setUrl} error={error?.field("url")} class="grow"
        hint={file
          ? <>Herald fetches <code>{file}</code>, the service worker file on this address's origin.</>
          : "Your site's address, or one of its allowed origins, starting with https://."} />
      <Button type="submit" variant="primary" busy={busy}>Check my installation</Button>
      <div class="full">
        <FormError error={error} fields={["url"]} />
        {result && <CheckResult result={result} />}
      </div>
    </form>
  );
}

/** Inline code in a step sentence: tags like </head>, calls like Herald.subscribe(), file names. */
const CODE_IN_TEXT = /(<\/?[a-z]+>|\b[\w.]+\(\)|\/?\b[\w-]+\.js\b)/gi;

function StepText({ text }: { text: string }) {
  return <p class="step-text">{text.split(CODE_IN_TEXT).map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}</p>;
}

function Step({ step, n, swPath }: { step: InstallStep; n: number; swPath: string }) {
  const site = currentSite.value!;
  return (
    <li class={`step ${step.optional ? "step-optional" : ""}`} data-step={step.id}>
      <div class="step-head">
        <span class="step-num" aria-hidden="true">{n}</span>
        <div class="step-body">
          <h2>{step.title}</h2>
          <StepText text={step.text} />
        </div>
      </div>
      {step.snippets.length > 0 && (
        <div class="snippets">
          {step.snippets.map((sn) => <CodeBlock key={sn.label} label={sn.label} name={`${step.title}: ${sn.label}`} code={sn.code} />)}
        </div>
      )}
      {step.id === "identify" && can("settings:write") && (
        <p class="small step-link"><a href={`/sites/${site.id}/settings`}>Identity secret in Settings</a></p>
      )}
      {step.id === "check" && <CheckInstall swPath={swPath} />}
    </li>
  );
}

/** The identity secret of the site just created: taken from memory once, shown until dismissed or left.
 *  identifyStep: the number of the install step that uses it, once the steps are loaded. */
function NewSiteSecret({ siteId, identifyStep }: { siteId: string; identifyStep: number | null }) {
  const [secret, setSecret] = useState(() => (newSiteSecret.peek()?.siteId === siteId ? newSiteSecret.peek()!.secret : null));
  useEffect(() => {
    if (newSiteSecret.peek()?.siteId === siteId) newSiteSecret.value = null;
  }, [siteId]);
  if (!secret) return null;
  return (
    <Card title="Your site's identity secret" class="card-notice">
      <p>
        If you link signed-in users{identifyStep ? ` (step ${identifyStep} below)` : ""}, your server signs each user's id with this
        secret, so nobody can claim someone else's notifications. Keep it on your server; never put it in a page.
      </p>
      <OneTimeSecret secret={secret} name="identity secret" onDone={() => setSecret(null)}>
        You can issue a new one at any time in Settings → Identity verification.
      </OneTimeSecret>
    </Card>
  );
}

export default function Install() {
  const site = currentSite.value!;
  const res = useResource(() => api.installCode(site.id), [site.id]);
  const code = res.data;
  return (
    <div class="page">
      <PageHeader title="Install Herald" subtitle={`Start collecting subscribers on ${hostOf(site.url)}.`} />
      <NewSiteSecret siteId={site.id} identifyStep={code ? code.steps.findIndex((st) => st.id === "identify") + 1 || null : null} />
      {res.loading && !code && <Loading label="Preparing your snippets…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="the install code" />}
      {code && (
        <ol class="steps">
          {code.steps.map((step, i) => <Step key={step.id} step={step} n={i + 1} swPath={code.service_worker_path} />)}
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
