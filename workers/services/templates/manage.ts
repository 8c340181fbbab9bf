// Templates as the API manages them: create, list, read, edit the draft, delete, publish
// (draft → immutable version N+1) and roll back (an older version's content published again
// as N+1, so the history only grows and "current" is always the latest version; the draft is
// left as it is). A template never holds text that does not parse: every save compiles it.
import { TEMPLATE_CONTENT_MAX_BYTES, TEMPLATE_MAX_LOCALES } from "../../config";
import type { DigestRule } from "../../contracts/preferences";
import type { TemplateLocales, TemplateSummary, TemplateVersionSummary, TemplateVersionView, TemplateView, UpdateTemplateInput } from "../../contracts/template";
import { findSite } from "../../db/queries/sites";
import * as q from "../../db/queries/templates";
import { ApiError, invalidField, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import { jsonBytes } from "../../lib/json-limits";
import type { Deps } from "../deps";
import { canonicalLocale } from "./locales";
import { assertStaticPushFits, compileOrThrow } from "./render";

type Row = q.TemplateRow & { draftChanged: boolean };

const view = (r: Row): TemplateView => ({
  key: r.key,
  name: r.name,
  description: r.description,
  default_locale: r.defaultLocale,
  locales: r.draft,
  current_version: r.publishedVersion,
  draft_changed: r.draftChanged,
  digest: r.digest ?? null,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

const versionView = (v: q.TemplateVersionRow): TemplateVersionView => ({
  version: v.version,
  default_locale: v.defaultLocale,
  source_version: v.sourceVersion,
  published_by: v.publishedBy,
  published_at: v.publishedAt,
  locales: v.content,
});

export async function loadTemplate(deps: Deps, siteId: string, key: string): Promise<Row> {
  const row = await q.findTemplate(deps.db, siteId, key);
  if (!row) throw notFound("Template not found.");
  return row;
}

function localeOrThrow(path: string, tag: string): string {
  const locale = canonicalLocale(tag);
  if (!locale) throw invalidField(path, "Must be a language tag like en, fr-CA or pt-BR.");
  return locale;
}

/** Merges a PATCH's locales into the draft (a part replaces, null removes; keys made canonical). */
function mergeLocales(draft: TemplateLocales, patch: NonNullable<UpdateTemplateInput["locales"]>): TemplateLocales {
  const out: TemplateLocales = { ...draft };
  const seen = new Set<string>();
  for (const [tag, variant] of Object.entries(patch)) {
    const locale = localeOrThrow(`locales.${tag}`, tag);
    if (seen.has(locale)) throw invalidField(`locales.${tag}`, `Names the same language as another key (${locale}).`);
    seen.add(locale);
    if (variant === null) {
      delete out[locale];
      continue;
    }
    const merged: Record<string, unknown> = { ...out[locale] };
    for (const [channel, part] of Object.entries(variant)) {
      if (part === null) delete merged[channel];
      else if (part !== undefined) merged[channel] = part;
    }
    if (Object.keys(merged).length) out[locale] = merged as TemplateLocales[string];
    else delete out[locale];
  }
  return out;
}

/** Canonical keys, no empty languages, within the size limits, and every field parses. */
export function checkContent(locales: TemplateLocales, defaultLocale: string): TemplateLocales {
  const normalized = mergeLocales({}, locales);
  if (Object.keys(normalized).length > TEMPLATE_MAX_LOCALES) throw invalidField("locales", `Must have at most ${TEMPLATE_MAX_LOCALES} languages.`);
  const bytes = jsonBytes(normalized);
  if (bytes > TEMPLATE_CONTENT_MAX_BYTES) throw invalidField("locales", `All languages together must be at most ${TEMPLATE_CONTENT_MAX_BYTES / 1024} KB as JSON; these are ${Math.ceil(bytes / 1024)} KB.`);
  compileOrThrow(normalized, defaultLocale);
  return normalized;
}

export async function createTemplate(
  deps: Deps,
  siteId: string,
  input: { key: string; name: string; description?: string | null; default_locale?: string; locales?: TemplateLocales; digest?: DigestRule | null },
): Promise<TemplateView> {
  const now = deps.now();
  const defaultLocale = input.default_locale ? localeOrThrow("default_locale", input.default_locale) : "en";
  const row: q.TemplateRow = {
    id: newId("tpl", now),
    siteId,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    defaultLocale,
    draft: checkContent(input.locales ?? {}, defaultLocale),
    publishedVersion: null,
    digest: input.digest ?? null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await q.insertTemplate(deps.db, row))) throw new ApiError("template_exists", `A template with the key ${input.key} already exists.`, [{ path: "key", message: "Already taken." }]);
  return view({ ...row, draftChanged: true });
}

export async function listTemplates(deps: Deps, siteId: string, cursor: string | undefined, limit: number) {
  const rows = await q.listTemplates(deps.db, siteId, cursor, limit + 1);
  const page = rows.slice(0, limit);
  const data: TemplateSummary[] = page.map((r) => ({
    key: r.key,
    name: r.name,
    description: r.description,
    default_locale: r.defaultLocale,
    languages: r.languages,
    channels: r.channels as TemplateSummary["channels"],
    current_version: r.publishedVersion,
    draft_changed: r.draftChanged,
    digest: r.digest ?? null,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  }));
  return { data, next_cursor: rows.length > limit ? page[page.length - 1]!.key : null };
}

export const getTemplate = async (deps: Deps, siteId: string, key: string) => view(await loadTemplate(deps, siteId, key));

/** Edits the draft. Concurrent edits do not overwrite each other: each applies to the row as
 *  it was read, and a write that finds the row changed reads it again (a few times). */
export async function updateTemplate(deps: Deps, siteId: string, key: string, input: UpdateTemplateInput): Promise<TemplateView> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await loadTemplate(deps, siteId, key);
    const defaultLocale = input.default_locale ? localeOrThrow("default_locale", input.default_locale) : row.defaultLocale;
    const patch: Parameters<typeof q.updateTemplate>[4] = { defaultLocale, updatedAt: Math.max(deps.now(), row.updatedAt + 1) };
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description;
    if (input.digest !== undefined) patch.digest = input.digest;
    if (input.locales !== undefined) patch.draft = checkContent(mergeLocales(row.draft, input.locales), defaultLocale);
    if (await q.updateTemplate(deps.db, siteId, key, row.updatedAt, patch)) return getTemplate(deps, siteId, key);
  }
  throw new ApiError("invalid_state", "The template kept changing while this edit was saved; load it again and retry.");
}

export async function deleteTemplate(deps: Deps, siteId: string, key: string): Promise<void> {
  const row = await loadTemplate(deps, siteId, key);
  if (!(await q.deleteTemplate(deps.db, siteId, row.id))) throw notFound("Template not found.");
}

/** What publishing needs beyond parsing: something to send, in the default language too. */
function assertPublishable(locales: TemplateLocales, defaultLocale: string) {
  const languages = Object.keys(locales);
  if (!languages.length) throw invalidField("locales", "Add at least one language with a part before publishing.");
  if (!locales[defaultLocale]) {
    throw invalidField("default_locale", `The default language ${defaultLocale} has no parts: add them, or make one of ${languages.join(", ")} the default.`);
  }
}

const isConflict = (err: unknown): boolean => {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) if (/constraint/i.test(String((e as Error).message ?? e))) return true;
  return false;
};

/**
 * Publishes the draft, or with `version` republishes that version's content (roll back), as the
 * next version, which sends use from then on. Publishing what is already current writes nothing
 * and answers it (created: false), so a deploy script may publish on every run.
 */
export async function publishTemplate(deps: Deps, siteId: string, key: string, input: { version?: number }, publishedBy: string | null) {
  const row = await loadTemplate(deps, siteId, key);
  let content = row.draft;
  let defaultLocale = row.defaultLocale;
  if (input.version !== undefined) {
    const source = await q.findVersion(deps.db, siteId, row.id, input.version);
    if (!source) throw notFound(`Version ${input.version} of ${key} does not exist.`);
    ({ content, defaultLocale } = source);
  }
  const current = row.publishedVersion ?? 0;
  if (current && (input.version === undefined ? !row.draftChanged : input.version === current)) {
    return { version: versionView((await q.findVersion(deps.db, siteId, row.id, current))!), created: false };
  }
  assertPublishable(content, defaultLocale);
  const compiled = compileOrThrow(content, defaultLocale);
  const site = await findSite(deps.db, siteId);
  assertStaticPushFits(compiled, { icon: site?.settings.default_icon ?? null });
  for (let attempt = 0; ; attempt++) {
    const now = deps.now();
    const version: q.TemplateVersionRow = {
      templateId: row.id,
      version: (await q.latestVersion(deps.db, siteId, row.id)) + 1,
      siteId,
      defaultLocale,
      content,
      sourceVersion: input.version ?? null,
      publishedBy,
      publishedAt: now,
    };
    try {
      await q.insertVersion(deps.db, version, Math.max(now, row.updatedAt + 1));
      return { version: versionView(version), created: true };
    } catch (err) {
      if (!isConflict(err)) throw err;
      if (attempt >= 2) throw new ApiError("invalid_state", "Someone else published this template at the same moment; load it again and retry.");
    }
  }
}

export async function listVersions(deps: Deps, siteId: string, key: string, cursor: number | undefined, limit: number) {
  const row = await loadTemplate(deps, siteId, key);
  const rows = await q.listVersions(deps.db, siteId, row.id, cursor, limit + 1);
  const page = rows.slice(0, limit);
  const data: TemplateVersionSummary[] = page.map((v) => ({
    version: v.version,
    default_locale: v.defaultLocale,
    source_version: v.sourceVersion,
    published_by: v.publishedBy,
    published_at: v.publishedAt,
    languages: v.languages,
    channels: v.channels as TemplateVersionSummary["channels"],
  }));
  return { data, next_cursor: rows.length > limit ? String(page[page.length - 1]!.version) : null };
}

export async function getVersion(deps: Deps, siteId: string, key: string, version: number): Promise<TemplateVersionView> {
  const row = await loadTemplate(deps, siteId, key);
  const v = await q.findVersion(deps.db, siteId, row.id, version);
  if (!v) throw notFound(`Version ${version} of ${key} does not exist.`);
  return versionView(v);
}
