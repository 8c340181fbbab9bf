// SQL for a site's provider integrations (services/integrations). Every query a tenant's request
// reaches is scoped by site_id; the public status callbacks find an integration by its id alone
// (the id in the callback URL is the only thing the provider knows) and check it there.
import { and, asc, count, eq, gt, lte, ne, notLike, sql } from "drizzle-orm";
import type { Db } from "../client";
import { integrations } from "../schema";

export type IntegrationRow = typeof integrations.$inferSelect;

/** Inserts the integration; it becomes its channel's primary when the channel has none yet
 *  (decided inside the INSERT, so two concurrent first integrations cannot both be primary). */
export function insertIntegration(db: Db, row: Omit<IntegrationRow, "isPrimary">) {
  const noPrimaryYet = sql<boolean>`not exists (select 1 from ${integrations} where ${integrations.siteId} = ${row.siteId} and ${integrations.channel} = ${row.channel} and ${integrations.isPrimary} = 1)`;
  return db
    .insert(integrations)
    .values({ ...row, isPrimary: noPrimaryYet })
    .returning()
    .get();
}

export const countIntegrations = async (db: Db, siteId: string) =>
  (await db.select({ n: count() }).from(integrations).where(eq(integrations.siteId, siteId)).get())?.n ?? 0;

/** The site's integrations, by channel, oldest first. */
export const listIntegrations = (db: Db, siteId: string) =>
  db.select().from(integrations).where(eq(integrations.siteId, siteId)).orderBy(asc(integrations.channel), asc(integrations.id)).all();

export const findIntegration = (db: Db, siteId: string, id: string) =>
  db.select().from(integrations).where(and(eq(integrations.siteId, siteId), eq(integrations.id, id))).get();

/** For status callbacks only: the id comes from the URL Herald gave the provider. */
export const findIntegrationById = (db: Db, id: string) => db.select().from(integrations).where(eq(integrations.id, id)).get();

export const findPrimaryIntegration = (db: Db, siteId: string, channel: string) =>
  db
    .select()
    .from(integrations)
    .where(and(eq(integrations.siteId, siteId), eq(integrations.channel, channel), eq(integrations.isPrimary, true)))
    .get();

export const updateIntegration = (db: Db, siteId: string, id: string, patch: Partial<IntegrationRow>) =>
  db
    .update(integrations)
    .set(patch)
    .where(and(eq(integrations.siteId, siteId), eq(integrations.id, id)))
    .returning()
    .get();

/** Makes `id` its channel's only primary, in one transaction (the old one first: the unique
 *  index allows one primary per channel at any moment). */
export const makePrimary = (db: Db, siteId: string, channel: string, id: string, now: number) =>
  db.batch([
    db
      .update(integrations)
      .set({ isPrimary: false, updatedAt: now })
      .where(and(eq(integrations.siteId, siteId), eq(integrations.channel, channel), eq(integrations.isPrimary, true), ne(integrations.id, id))),
    db
      .update(integrations)
      .set({ isPrimary: true, updatedAt: now })
      .where(and(eq(integrations.siteId, siteId), eq(integrations.channel, channel), eq(integrations.id, id))),
  ]);

/** Deletes the integration; when it was its channel's primary, the oldest one left on that
 *  channel takes over (so sends keep a provider while the site has one), in one transaction. */
export async function deleteIntegration(db: Db, siteId: string, channel: string, id: string, now: number) {
  const [deleted] = await db.batch([
    db
      .delete(integrations)
      .where(and(eq(integrations.siteId, siteId), eq(integrations.id, id)))
      .returning({ id: integrations.id }),
    db
      .update(integrations)
      .set({ isPrimary: true, updatedAt: now })
      .where(
        and(
          eq(integrations.id, sql`(select ${integrations.id} from ${integrations} where ${integrations.siteId} = ${siteId} and ${integrations.channel} = ${channel} order by ${integrations.id} limit 1)`),
          sql`not exists (select 1 from ${integrations} where ${integrations.siteId} = ${siteId} and ${integrations.channel} = ${channel} and ${integrations.isPrimary} = 1)`,
        ),
      ),
  ]);
  return deleted.length === 1;
}

/** The primary of (site, channel) records a problem a real send ran into. */
export const recordProblem = (db: Db, siteId: string, channel: string, problem: string, now: number) =>
  db
    .update(integrations)
    .set({ problem, problemAt: now })
    .where(and(eq(integrations.siteId, siteId), eq(integrations.channel, channel), eq(integrations.isPrimary, true)))
    .run();

/** Integrations of the sites in (afterSiteId, upToSiteId] (every site after afterSiteId when
 *  upToSiteId is null) whose credentials are not sealed under `currentVersion` yet. */
export const integrationsToReseal = (db: Db, afterSiteId: string, upToSiteId: string | null, currentVersion: number) =>
  db
    .select({ id: integrations.id, siteId: integrations.siteId, credentialsEnc: integrations.credentialsEnc })
    .from(integrations)
    .where(
      and(
        gt(integrations.siteId, afterSiteId),
        upToSiteId === null ? undefined : lte(integrations.siteId, upToSiteId),
        notLike(integrations.credentialsEnc, `env1.${currentVersion}.%`),
      ),
    )
    .all();

/** Replaces re-sealed envelopes, all in one batch; updated_at stays (the credentials did not change). */
export async function updateCredentialEnvelopes(db: Db, rows: Array<{ id: string; credentialsEnc: string }>) {
  if (!rows.length) return;
  const [first, ...rest] = rows.map((r) => db.update(integrations).set({ credentialsEnc: r.credentialsEnc }).where(eq(integrations.id, r.id)));
  await db.batch([first!, ...rest]);
}
