// Install: the API's steps, in its order and words (GET /install-code), each with the snippet
// it needs and a copy button, and a live check of the installation (POST /install-check,
// fetched from the edge). Nothing here restates what the API says.
import { useState } from "preact/hooks";
import { api, type ApiError } from "../../api";
import { Alert, Button, Card, CodeBlock, CopyButton, ErrorState, FormError, Loading, PageHeader, TextField } from "../../components/ui";
import { hostOf } from "../../lib/format";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import type { InstallCheck, InstallCode } from "../../types";

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
          <Alert tone={ok ? "ok" : "warn"} title={ok ? "Herald is installed" : "Not installed yet"}>
            {result.detail}
          </Alert>
        )}
      </div>
    </form>
  );
}

/** Inline code in a step sentence: tags like </head>, calls like Herald.subscribe(), file names. */
const CODE_IN_TEXT = /(<\/?[a-z]+>|\b[\w.]+\(\)|\b[\w-]+\.js\b)/gi;

function StepText({ text }: { text: string }) {
  return <p>{text.split(CODE_IN_TEXT).map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}</p>;
}

interface Step { text: string; snippet?: { label: string; code: string }; check?: boolean }

/**
 * The API's steps in its order and words, each with what it needs next to it: the snippet it
 * contains or names (as a block with a copy button) and, for the check, the check form.
 * Without steps (an older API) the two snippets are shown on their own.
 */
function stepsOf(code: InstallCode): { steps: Step[]; unplaced: Step["snippet"][] } {
  const snippets = [
    { label: "SDK snippet", code: code.sdk_snippet, names: /script tag|<script|SDK tag/i },
    { label: "Service worker", code: code.service_worker_snippet, names: new RegExp(`${code.service_worker_path.replace(/^\//, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}|service worker`, "i") },
  ];
  const placed = new Set<string>();
  const steps = (code.steps ?? []).map((raw): Step => {
    // A step that contains a snippet verbatim: the sentence, then the snippet as a block.
    const inside = snippets.find((sn) => !placed.has(sn.label) && raw.includes(sn.code));
    const named = inside ?? snippets.find((sn) => !placed.has(sn.label) && sn.names.test(raw));
    const text = inside ? raw.replace(inside.code, "").replace(/[\s:]+$/, "").concat(":") : raw;
    if (named) placed.add(named.label);
    return { text, snippet: named && { label: named.label, code: named.code }, check: /check my installation/i.test(raw) };
  });
  return { steps, unplaced: snippets.filter((sn) => !placed.has(sn.label)).map(({ label, code: c }) => ({ label, code: c })) };
}

export default function Install() {
  const site = currentSite.value!;
  const res = useResource(() => api.installCode(site.id), [site.id]);
  const code = res.data;
  const { steps, unplaced } = code ? stepsOf(code) : { steps: [], unplaced: [] };
  const hasCheck = steps.some((st) => st.check);
  return (
    <div class="page">
      <PageHeader title="Install Herald" subtitle={`Start collecting subscribers on ${hostOf(site.url)}.`} />
      {res.loading && !code && <Loading label="Preparing your snippets…" />}
      {res.error && <ErrorState error={res.error} retry={res.reload} what="the install code" />}
      {code && (
        <ol class="steps">
          {steps.map((st, i) => (
            <li class="step" key={i}>
              <div class="step-head">
                <span class="step-num" aria-hidden="true">{i + 1}</span>
                <StepText text={st.text} />
              </div>
              {st.snippet && <CodeBlock label={st.snippet.label} code={st.snippet.code} />}
              {st.check && <CheckInstall />}
            </li>
          ))}
          {unplaced.map((sn) => sn && (
            <li class="step" key={sn.label}>
              <CodeBlock label={sn.label} code={sn.code} />
            </li>
          ))}
          {!hasCheck && (
            <li class="step">
              <CheckInstall />
            </li>
          )}
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
