// The editor's live preview: the unsaved content rendered by the API exactly as a send would
// (POST …/preview with locales), for the language being edited, with sample data and a sample
// user. Renders a moment after typing stops; a stale answer never replaces a newer one.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { Alert, Field } from "../../components/ui";
import { hostOf } from "../../lib/format";
import { toApiError } from "../../lib/use-resource";
import { Previews } from "../Compose/Previews";
import { type PreviewView, type TemplateChannel, type TemplateLocales, templatesApi } from "./api";

const DEBOUNCE_MS = 400;
const PROFILE = new Set(["external_id", "email", "phone", "locale", "timezone", "attributes"]);

/** Sample data and user with a value for every data.* and user.* name the template uses. */
export function sampleFor(locales: TemplateLocales): { data: string; user: string } {
  const text = JSON.stringify(locales);
  const data: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  for (const m of text.matchAll(/\bdata\.([A-Za-z_]\w*)/g)) data[m[1]!] = m[1]!.replace(/_/g, " ");
  for (const m of text.matchAll(/\buser\.(?:attributes\.)?([A-Za-z_]\w*)/g)) if (!PROFILE.has(m[1]!)) attributes[m[1]!] = m[1] === "name" ? "Ada" : m[1]!;
  return { data: JSON.stringify(data, null, 2), user: JSON.stringify({ external_id: "user-42", email: "ada@example.com", attributes }, null, 2) };
}

function parseObject(text: string, what: string): Record<string, unknown> {
  if (!text.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`The sample ${what} is not valid JSON.`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error(`The sample ${what} must be a JSON object, like {"order_id": "A-1001"}.`);
  return v as Record<string, unknown>;
}

function Rendered({ view, host }: { view: PreviewView; host: string }) {
  const c = view.content as Record<string, string | undefined> & { actions?: { action: string; title: string; url?: string }[] };
  switch (view.channel) {
    case "web_push":
      return <Previews title={c.title ?? ""} body={c.body ?? ""} icon={c.icon ?? ""} image={c.image ?? ""} host={host} actions={c.actions ?? []} />;
    case "email":
      return (
        <div class="tpl-email">
          <div class="tpl-email-subject"><span class="muted small">Subject</span> <strong>{c.subject}</strong></div>
          {c.html && <iframe class="tpl-email-html" title="HTML preview" sandbox="" srcdoc={c.html} />}
          {c.text && <pre class="tpl-email-text" tabIndex={0} aria-label="Plain-text preview">{c.text}</pre>}
        </div>
      );
    case "sms":
    case "whatsapp":
      return <div class={`tpl-bubble tpl-bubble-${view.channel}`}>{c.text}</div>;
    default:
      return (
        <div class="tpl-card">
          <strong>{c.title}</strong>
          {c.body && <p>{c.body}</p>}
          {c.url && <span class="muted small">Opens {c.url}</span>}
        </div>
      );
  }
}

export function PreviewPane({ siteId, templateKey, channel, lang, locales, siteUrl, onSyntaxError }: {
  siteId: string; templateKey: string; channel: TemplateChannel; lang: string; locales: TemplateLocales; siteUrl: string;
  /** The preview's own template errors (syntax), for the editor to show at their fields. */
  onSyntaxError: (e: ApiError | null) => void;
}) {
  const [sample, setSample] = useState(() => sampleFor(locales));
  const [view, setView] = useState<PreviewView | null>(null);
  const [problem, setProblem] = useState<{ message: string; tone: "error" | "info" } | null>(null);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    const timer = setTimeout(async () => {
      let data: Record<string, unknown>, user: Record<string, unknown>;
      try {
        data = parseObject(sample.data, "data");
        user = parseObject(sample.user, "user");
      } catch (e) {
        return setProblem({ message: (e as Error).message, tone: "info" });
      }
      try {
        const v = await templatesApi.preview(siteId, templateKey, { channel, locale: lang, data, user, locales });
        if (mine !== generation.current) return;
        setView(v);
        setProblem(null);
        onSyntaxError(null);
      } catch (err) {
        if (mine !== generation.current) return;
        const e = toApiError(err);
        setView(null);
        if (e.code === "template_syntax_error" || e.code === "validation_failed") onSyntaxError(e);
        const where = e.fields[0]?.path.startsWith("locales.") ? ` (${e.fields[0].path.split(".").slice(1, 4).join(" › ")})` : "";
        setProblem({ message: `${e.fields[0]?.message ?? e.message}${where}`, tone: e.code === "template_missing_variable" ? "info" : "error" });
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [siteId, templateKey, channel, lang, JSON.stringify(locales), sample.data, sample.user]);

  return (
    <div class="tpl-preview">
      <div aria-live="polite">
        {problem && <Alert tone={problem.tone === "info" ? "warn" : "error"} title={problem.tone === "info" ? "Would fail for this recipient" : "Cannot render"}>{problem.message}</Alert>}
        {view && view.locale !== lang && <p class="muted small">No {lang} part for this channel: recipients in {lang} get the {view.locale} version.</p>}
      </div>
      {view && <Rendered view={view} host={hostOf(siteUrl)} />}
      <details class="tpl-samples">
        <summary>Sample data and user</summary>
        <Field label="Data (the message's data.*)">
          {({ id }) => <textarea id={id} class="tpl-src" rows={5} spellcheck={false} value={sample.data} onInput={(e) => setSample({ ...sample, data: (e.currentTarget as HTMLTextAreaElement).value })} />}
        </Field>
        <Field label="User (user.*; attributes also as user.<name>)">
          {({ id }) => <textarea id={id} class="tpl-src" rows={6} spellcheck={false} value={sample.user} onInput={(e) => setSample({ ...sample, user: (e.currentTarget as HTMLTextAreaElement).value })} />}
        </Field>
      </details>
    </div>
  );
}
