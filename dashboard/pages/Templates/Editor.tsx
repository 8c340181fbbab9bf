// One template: edit each language's part per channel with a live preview, the name and default
// language, save the draft, publish it (admins), see versions and roll back. Unsaved edits are
// previewed as they are typed (the API renders them without saving) and kept until saved.
import { useLocation, useRoute } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { DigestRuleField } from "../../components/DigestRuleField";
import { Alert, Button, Card, Dialog, ErrorState, FormError, Loading, PageHeader, SelectField, TextField } from "../../components/ui";
import { toApiError, useResource } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { UpdateTemplateInput } from "../../../workers/contracts/template";
import { type TemplateChannel, type TemplateLocales, type TemplateView, templatesApi } from "./api";
import { CHANNELS, CHANNEL_ORDER, cleanPart } from "./fields";
import { StatusBadge } from "./StatusBadge";
import { PartEditor } from "./PartEditor";
import { PreviewPane } from "./PreviewPane";
import { Versions } from "./Versions";
import "./templates.css";

type Working = Record<string, Partial<Record<TemplateChannel, Record<string, unknown>>>>;

/** JSON with sorted keys: equal content compares equal whatever order fields were typed in. */
const stable = (v: unknown): string =>
  JSON.stringify(v, (_, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

/** What the API takes: parts without empty fields or buttons, languages without parts left out. */
function clean(w: Working): TemplateLocales {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [lang, parts] of Object.entries(w)) {
    const kept: Record<string, unknown> = {};
    for (const [ch, part] of Object.entries(parts)) {
      if (!part) continue;
      const p = cleanPart(part);
      if (Array.isArray(p.actions)) p.actions = (p.actions as Record<string, unknown>[]).map(cleanPart);
      kept[ch] = p;
    }
    if (Object.keys(kept).length) out[lang] = kept;
  }
  return out as TemplateLocales;
}

function canonical(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag.trim())[0] ?? null;
  } catch {
    return null;
  }
}

export default function TemplateEditor() {
  const site = currentSite.value!;
  const { params } = useRoute();
  const key = decodeURIComponent(params.templateKey!);
  const res = useResource(() => templatesApi.get(site.id, key), [site.id, key]);
  if (res.loading && !res.data) return <Loading label="Loading template…" />;
  if (res.error) return <div class="page"><ErrorState error={res.error} retry={res.reload} what="this template" /></div>;
  return <EditorForm initial={res.data!} />;
}

function EditorForm({ initial }: { initial: TemplateView }) {
  const site = currentSite.value!;
  const { route } = useLocation();
  const canWrite = can("templates:write");
  const canPublish = can("templates:publish");
  const [saved, setSaved] = useState(initial);
  const [working, setWorking] = useState<Working>(initial.locales as Working);
  const [meta, setMeta] = useState({ name: initial.name, description: initial.description ?? "", default_locale: initial.default_locale, digest: initial.digest });
  const [extraLangs, setExtraLangs] = useState<string[]>([]);
  const [lang, setLang] = useState(initial.default_locale);
  const [channel, setChannel] = useState<TemplateChannel>(() => CHANNEL_ORDER.find((c) => initial.locales[initial.default_locale]?.[c]) ?? "web_push");
  const [newLang, setNewLang] = useState("");
  const [busy, setBusy] = useState<"save" | "publish" | "delete" | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [versionsKey, setVersionsKey] = useState(0);
  const [deleting, setDeleting] = useState(false);

  const content = clean(working);
  const metaChanged = meta.name !== saved.name || meta.description !== (saved.description ?? "") || meta.default_locale !== saved.default_locale || stable(meta.digest) !== stable(saved.digest);
  const dirty = metaChanged || stable(content) !== stable(saved.locales);
  const langs = [...new Set([meta.default_locale, ...Object.keys(working), ...extraLangs])];

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);

  const setPart = (part: Record<string, unknown> | undefined) =>
    setWorking((w) => ({ ...w, [lang]: { ...w[lang], [channel]: part } }));

  const save = async (): Promise<TemplateView | null> => {
    const patch: UpdateTemplateInput = {};
    if (meta.name !== saved.name) patch.name = meta.name.trim();
    if (meta.description !== (saved.description ?? "")) patch.description = meta.description.trim() || null;
    if (meta.default_locale !== saved.default_locale) patch.default_locale = meta.default_locale;
    if (stable(meta.digest) !== stable(saved.digest)) patch.digest = meta.digest;
    const locales: NonNullable<UpdateTemplateInput["locales"]> = {};
    for (const l of new Set([...Object.keys(saved.locales), ...Object.keys(content)])) {
      if (stable(saved.locales[l]) === stable(content[l])) continue;
      // Every channel named: a part replaces, null removes (PATCH merges per language and channel).
      locales[l] = content[l] ? Object.fromEntries(CHANNEL_ORDER.map((c) => [c, content[l]![c] ?? null])) : null;
    }
    if (Object.keys(locales).length) patch.locales = locales;
    setError(null);
    try {
      const t = await templatesApi.update(site.id, saved.key, patch);
      setSaved(t);
      return t;
    } catch (err) {
      setError(toApiError(err));
      return null;
    }
  };

  const onSave = async () => {
    setBusy("save");
    if (await save()) toast("Draft saved");
    setBusy(null);
  };

  const onPublish = async () => {
    setBusy("publish");
    const ready = dirty ? await save() : saved;
    if (ready) {
      try {
        const v = await templatesApi.publish(site.id, saved.key);
        toast(`Version ${v.version} published: sends use it from now on`);
        await reload();
      } catch (err) {
        setError(toApiError(err));
      }
    }
    setBusy(null);
  };

  const reload = async () => {
    const t = await templatesApi.get(site.id, saved.key);
    setSaved(t);
    setVersionsKey((k) => k + 1);
  };

  const addLang = (e: Event) => {
    e.preventDefault();
    const tag = canonical(newLang);
    if (!tag) return; // the field says why, and Add is disabled
    if (!langs.includes(tag)) setExtraLangs([...extraLangs, tag]);
    setLang(tag);
    setNewLang("");
  };

  const removeLang = () => {
    setWorking((w) => Object.fromEntries(Object.entries(w).filter(([l]) => l !== lang)));
    setExtraLangs(extraLangs.filter((l) => l !== lang));
    setLang(meta.default_locale);
  };

  const onDelete = async () => {
    setBusy("delete");
    try {
      await templatesApi.remove(site.id, saved.key);
      toast(`${saved.name} deleted`);
      route(`/sites/${site.id}/templates`);
    } catch (err) {
      toast(toApiError(err).message, "error");
      setBusy(null);
      setDeleting(false);
    }
  };

  const fieldErrors = error?.fields.some((f) => f.path.startsWith("locales.")) ? error : previewError;
  const langTagValid = newLang.trim() === "" || canonical(newLang) !== null;
  return (
    <div class="page">
      <PageHeader
        title={saved.name}
        subtitle={<span class="tpl-head"><code>{saved.key}</code> <StatusBadge t={{ current_version: saved.current_version, draft_changed: saved.draft_changed || dirty }} />{dirty && <span class="muted small">Unsaved changes</span>}</span>}
        actions={canWrite && <>
          <Button onClick={onSave} busy={busy === "save"} disabled={!dirty || !!busy}>Save draft</Button>
          {canPublish && <Button variant="primary" onClick={onPublish} busy={busy === "publish"} disabled={!!busy || (!dirty && !saved.draft_changed)}>Publish</Button>}
        </>}
      />
      {!canWrite && <Alert tone="info">You can read this template; editing needs the templates permission.</Alert>}
      {canWrite && !canPublish && <Alert tone="info">You can edit and save the draft; an admin publishes it.</Alert>}
      {error && !error.fields.some((f) => f.path.startsWith("locales.")) && <FormError error={error} fields={["name", "description", "default_locale", "digest"]} />}
      {error?.fields.some((f) => f.path.startsWith("locales.")) && <Alert>{error.message}</Alert>}
      <div class="compose tpl-editor">
        <div class="compose-form">
          <Card title="Content" class="tpl-content">
            <div class="tpl-bar">
              <fieldset class="segmented tpl-langs">
                <legend class="visually-hidden">Language</legend>
                {langs.map((l) => (
                  <label key={l} class={l === lang ? "on" : ""}>
                    <input type="radio" name="tpl-lang" value={l} checked={l === lang} onChange={() => setLang(l)} />
                    {l}{l === meta.default_locale ? " (default)" : ""}
                  </label>
                ))}
              </fieldset>
              {canWrite && (
                <form class="tpl-add-lang" onSubmit={addLang}>
                  <TextField label="Add a language" placeholder="fr, de, pt-BR" value={newLang} onValue={setNewLang} maxLength={35}
                    error={langTagValid ? undefined : "Use a language tag like fr, fr-CA or pt-BR."} />
                  <Button type="submit" size="sm" disabled={!newLang.trim() || !langTagValid}>Add</Button>
                </form>
              )}
            </div>
            <fieldset class="segmented tpl-channels">
              <legend class="visually-hidden">Channel</legend>
              {CHANNEL_ORDER.map((c) => (
                <label key={c} class={c === channel ? "on" : ""}>
                  <input type="radio" name="tpl-channel" value={c} checked={c === channel} onChange={() => setChannel(c)} />
                  <span class={`tpl-dot ${working[lang]?.[c] ? "tpl-dot-on" : ""}`} aria-hidden="true" />{CHANNELS[c].label}
                  {working[lang]?.[c] && <span class="visually-hidden"> (has a part)</span>}
                </label>
              ))}
            </fieldset>
            <PartEditor lang={lang} isDefault={lang === meta.default_locale} channel={channel} part={working[lang]?.[channel]} onChange={setPart} error={fieldErrors} readOnly={!canWrite} />
            {canWrite && lang !== meta.default_locale && working[lang] && (
              <div class="form-actions"><Button variant="ghost" size="sm" onClick={removeLang}>Remove the {lang} version</Button></div>
            )}
          </Card>
          <Card title="Details">
            <fieldset class="form-grid" disabled={!canWrite}>
              <TextField label="Name" value={meta.name} onValue={(v) => setMeta({ ...meta, name: v })} maxLength={200} error={error?.field("name")} />
              <TextField label="Description" value={meta.description} onValue={(v) => setMeta({ ...meta, description: v })} maxLength={1000} error={error?.field("description")} />
              <SelectField label="Default language" value={meta.default_locale} onValue={(v) => setMeta({ ...meta, default_locale: v })} options={langs}
                error={error?.field("default_locale")} hint="Recipients whose language has no version get this one." />
              <DigestRuleField initial={saved.digest} onValue={(digest) => setMeta((m) => ({ ...m, digest }))} error={(p) => error?.field(`digest${p}`)}
                hint="Sends of this template collect into one message per user and channel (unless their category has a digest of its own). Applies from the next send; not versioned." />
            </fieldset>
          </Card>
          <Versions siteId={site.id} templateKey={saved.key} current={saved.current_version} canPublish={canPublish} reloadKey={versionsKey} onPublished={reload} />
          {canPublish && (
            <Card title="Delete template" class="card-danger">
              <p class="muted">Messages that name {saved.key} fail once it is gone, including ones pinned to a version.</p>
              <div class="form-actions form-actions-start"><Button variant="danger" onClick={() => setDeleting(true)}>Delete template</Button></div>
            </Card>
          )}
        </div>
        <aside class="compose-preview" aria-label="Preview">
          <Card title={`Preview · ${CHANNELS[channel].label} · ${lang}`}>
            <PreviewPane siteId={site.id} templateKey={saved.key} channel={channel} lang={lang} locales={content} siteUrl={site.url} onSyntaxError={setPreviewError} />
          </Card>
        </aside>
      </div>
      <Dialog open={deleting} title={`Delete ${saved.name}?`} onClose={() => setDeleting(false)}
        actions={<><Button onClick={() => setDeleting(false)}>Cancel</Button><Button variant="danger" busy={busy === "delete"} onClick={onDelete}>Delete template</Button></>}>
        <p>The template and all {saved.current_version ?? 0} published versions are deleted. This cannot be undone.</p>
      </Dialog>
    </div>
  );
}
