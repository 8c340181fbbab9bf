// SQL of users' preferences (issue #9 §3): stored as a JSON column of site_users, read for one
// user (the preferences APIs) or for a whole batch of recipients at once (the sender's policy:
// one round trip for the users, the send's category and the site's settings).
import { and, eq, sql } from "drizzle-orm";
import { type StoredPreferences, TEMPLATE_DIGEST_PREFIX } from "../../contracts/preferences";
import type { Db } from "../client";
import { categories, sites, siteUsers, templates } from "../schema";
import { userColumns } from "./recipients";

export const findUserPreferences = (db: Db, siteId: string, externalId: string) =>
  db
    .select({ id: siteUsers.id, timezone: siteUsers.timezone, preferences: siteUsers.preferences })
    .from(siteUsers)
    .where(and(eq(siteUsers.siteId, siteId), eq(siteUsers.externalId, externalId)))
    .get();

/**
 * Applies a JSON merge patch (RFC 7396, SQLite's json_patch) to the stored preferences in one
 * statement, so two concurrent changes both land: objects merge, null removes a key (a
 * category's override, the user's quiet hours). Returns what is stored now.
 */
export const patchPreferences = async (db: Db, siteId: string, externalId: string, patch: Record<string, unknown>, now: number) =>
  (
    await db
      .update(siteUsers)
      .set({ preferences: sql`json_patch(${siteUsers.preferences}, ${JSON.stringify(patch)})`, updatedAt: now })
      .where(and(eq(siteUsers.siteId, siteId), eq(siteUsers.externalId, externalId)))
      .returning({ preferences: siteUsers.preferences })
      .get()
  )?.preferences;

export type PolicyUser = {
  id: string;
  externalId: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  timezone: string | null;
  attributes: Record<string, unknown>;
  preferences: StoredPreferences;
};

/**
 * Everything the decision needs for one batch, in two queries run side by side: the users behind
 * the batch's external ids (with their profile: a template digest renders its line for them), and
 * the site's settings with the send's category (when it names one that still exists) and its
 * template's digest rule.
 */
export async function loadPolicy(db: Db, siteId: string, externalIds: string[], category: string | null, template: string | null) {
  const [users, site] = await Promise.all([
    externalIds.length
      ? db
          .select({ ...userColumns, preferences: siteUsers.preferences })
          .from(siteUsers)
          .where(and(eq(siteUsers.siteId, siteId), sql`${siteUsers.externalId} in (select value from json_each(${JSON.stringify(externalIds)}))`))
          .all()
      : [],
    db
      .select({ settings: sites.settings, category: categories, template: { name: templates.name, digest: templates.digest } })
      .from(sites)
      .leftJoin(categories, and(eq(categories.siteId, sites.id), eq(categories.key, category ?? "")))
      .leftJoin(templates, and(eq(templates.siteId, sites.id), eq(templates.key, template ?? "")))
      .where(eq(sites.id, siteId))
      .get(),
  ]);
  return {
    users: users as PolicyUser[],
    category: site?.category ?? null,
    templateDigest: template && site?.template?.digest ? { key: `${TEMPLATE_DIGEST_PREFIX}${template}`, rule: site.template.digest } : null,
    settings: site?.settings ?? null,
  };
}
