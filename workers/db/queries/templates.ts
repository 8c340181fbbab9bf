// SQL for message templates and their published versions. Every query is scoped by site_id.
// Lists never load template bodies: languages and channels are read off the JSON in SQLite
// (json_each), and whether the draft differs from the published version is compared there too.
import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { templateVersions, templates } from "../schema";

export type TemplateRow = typeof templates.$inferSelect;
export type TemplateVersionRow = typeof templateVersions.$inferSelect;

/** The language tags of a locales JSON column, and the channels any of them has. */
const languagesOf = (column: typeof templates.draft | typeof templateVersions.content) =>
  sql<string>`(select coalesce(json_group_array(key), '[]') from json_each(${column}))`;
const channelsOf = (column: typeof templates.draft | typeof templateVersions.content) =>
  sql<string>`(select coalesce(json_group_array(distinct c.key), '[]') from json_each(${column}) l, json_each(l.value) c)`;

/** False only when the published version has exactly the draft's content and default locale. */
const draftChanged = sql<number>`not exists (select 1 from ${templateVersions} v
  where v.template_id = ${templates.id} and v.version = ${templates.publishedVersion}
    and v.content = ${templates.draft} and v.default_locale = ${templates.defaultLocale})`;

export type TemplateListRow = Omit<TemplateRow, "draft"> & { languages: string[]; channels: string[]; draftChanged: boolean };

const listColumns = {
  id: templates.id,
  siteId: templates.siteId,
  key: templates.key,
  name: templates.name,
  description: templates.description,
  defaultLocale: templates.defaultLocale,
  publishedVersion: templates.publishedVersion,
  digest: templates.digest,
  createdAt: templates.createdAt,
  updatedAt: templates.updatedAt,
  languages: languagesOf(templates.draft),
  channels: channelsOf(templates.draft),
  draftChanged,
};

const parseListRow = (r: Omit<TemplateListRow, "languages" | "channels" | "draftChanged"> & { languages: string; channels: string; draftChanged: number }): TemplateListRow => ({
  ...r,
  languages: JSON.parse(r.languages) as string[],
  channels: JSON.parse(r.channels) as string[],
  draftChanged: !!r.draftChanged,
});

export async function findTemplate(db: Db, siteId: string, key: string) {
  const row = await db
    .select({ row: templates, draftChanged })
    .from(templates)
    .where(and(eq(templates.siteId, siteId), eq(templates.key, key)))
    .get();
  return row ? { ...row.row, draftChanged: !!row.draftChanged } : undefined;
}

/** Inserts the template unless the site has one with this key; returns whether it did. */
export async function insertTemplate(db: Db, row: TemplateRow): Promise<boolean> {
  const res = await db.insert(templates).values(row).onConflictDoNothing().run();
  return res.meta.changes === 1;
}

/** Templates in key order after `afterKey`. */
export async function listTemplates(db: Db, siteId: string, afterKey: string | undefined, limit: number) {
  const conditions = [eq(templates.siteId, siteId)];
  if (afterKey !== undefined) conditions.push(gt(templates.key, afterKey));
  const rows = await db.select(listColumns).from(templates).where(and(...conditions)).orderBy(asc(templates.key)).limit(limit).all();
  return rows.map(parseListRow);
}

/** Writes a draft edit unless someone else saved since `seenUpdatedAt` (then nothing, false). */
export async function updateTemplate(
  db: Db,
  siteId: string,
  key: string,
  seenUpdatedAt: number,
  patch: Partial<Pick<TemplateRow, "name" | "description" | "defaultLocale" | "draft" | "digest" | "updatedAt">>,
): Promise<boolean> {
  const res = await db
    .update(templates)
    .set(patch)
    .where(and(eq(templates.siteId, siteId), eq(templates.key, key), eq(templates.updatedAt, seenUpdatedAt)))
    .run();
  return res.meta.changes === 1;
}

/** Deletes the template and every version of it; returns whether there was one. */
export async function deleteTemplate(db: Db, siteId: string, id: string): Promise<boolean> {
  const [, res] = await db.batch([
    db.delete(templateVersions).where(and(eq(templateVersions.siteId, siteId), eq(templateVersions.templateId, id))),
    db.delete(templates).where(and(eq(templates.siteId, siteId), eq(templates.id, id))),
  ]);
  return res.meta.changes === 1;
}

/** The highest version number written for the template (0 if none). */
export async function latestVersion(db: Db, siteId: string, templateId: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`coalesce(max(${templateVersions.version}), 0)` })
    .from(templateVersions)
    .where(and(eq(templateVersions.siteId, siteId), eq(templateVersions.templateId, templateId)))
    .get();
  return Number(row?.n ?? 0);
}

/** Writes the version and makes it the one sends use, in one transaction. A concurrent publish
 *  that took the same number makes the insert (and so the whole batch) fail on the primary key. */
export async function insertVersion(db: Db, row: TemplateVersionRow, updatedAt: number) {
  await db.batch([
    db.insert(templateVersions).values(row),
    db
      .update(templates)
      .set({ publishedVersion: row.version, updatedAt })
      .where(and(eq(templates.siteId, row.siteId), eq(templates.id, row.templateId))),
  ]);
}

export type VersionListRow = Omit<TemplateVersionRow, "content"> & { languages: string[]; channels: string[] };

/** Versions newest first, below `beforeVersion` when given. */
export async function listVersions(db: Db, siteId: string, templateId: string, beforeVersion: number | undefined, limit: number): Promise<VersionListRow[]> {
  const conditions = [eq(templateVersions.siteId, siteId), eq(templateVersions.templateId, templateId)];
  if (beforeVersion !== undefined) conditions.push(lt(templateVersions.version, beforeVersion));
  const rows = await db
    .select({
      templateId: templateVersions.templateId,
      version: templateVersions.version,
      siteId: templateVersions.siteId,
      defaultLocale: templateVersions.defaultLocale,
      sourceVersion: templateVersions.sourceVersion,
      publishedBy: templateVersions.publishedBy,
      publishedAt: templateVersions.publishedAt,
      languages: languagesOf(templateVersions.content),
      channels: channelsOf(templateVersions.content),
    })
    .from(templateVersions)
    .where(and(...conditions))
    .orderBy(desc(templateVersions.version))
    .limit(limit)
    .all();
  return rows.map((r) => ({ ...r, languages: JSON.parse(r.languages) as string[], channels: JSON.parse(r.channels) as string[] }));
}

export const findVersion = (db: Db, siteId: string, templateId: string, version: number) =>
  db
    .select()
    .from(templateVersions)
    .where(and(eq(templateVersions.siteId, siteId), eq(templateVersions.templateId, templateId), eq(templateVersions.version, version)))
    .get();

/** What a send needs to pick the version: one small row, no body. */
export const findSendable = (db: Db, siteId: string, key: string) =>
  db
    .select({ id: templates.id, publishedVersion: templates.publishedVersion })
    .from(templates)
    .where(and(eq(templates.siteId, siteId), eq(templates.key, key)))
    .get();
