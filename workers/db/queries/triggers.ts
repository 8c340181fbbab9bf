// SQL of inbound webhook triggers (services/triggers). Scoped by site, except the public call's
// lookup by token hash (triggers_token_uq), which yields the site.
import { and, desc, eq, gt, lt, lte, notInArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { triggerCalls, triggerSignatures, triggers } from "../schema";

export type TriggerRow = typeof triggers.$inferSelect;
export type TriggerCallRow = typeof triggerCalls.$inferSelect;

export const insertTrigger = async (db: Db, row: TriggerRow) => (await db.insert(triggers).values(row).returning().get())!;
export const findTrigger = (db: Db, siteId: string, id: string) => db.select().from(triggers).where(and(eq(triggers.siteId, siteId), eq(triggers.id, id))).get();
export const findByTokenHash = (db: Db, tokenHash: string) => db.select().from(triggers).where(eq(triggers.tokenHash, tokenHash)).get();
export const listTriggers = (db: Db, siteId: string) => db.select().from(triggers).where(eq(triggers.siteId, siteId)).orderBy(desc(triggers.id)).all();
export const updateTrigger = (db: Db, siteId: string, id: string, patch: Partial<TriggerRow>) =>
  db.update(triggers).set(patch).where(and(eq(triggers.siteId, siteId), eq(triggers.id, id))).returning().get();
/** The sealed secrets of the sites in (afterSiteId, throughSiteId] (master key rotation). */
export const secretsOfSites = (db: Db, afterSiteId: string, throughSiteId: string | null) =>
  db
    .select({ id: triggers.id, siteId: triggers.siteId, secretEnc: triggers.secretEnc })
    .from(triggers)
    .where(and(gt(triggers.siteId, afterSiteId), throughSiteId === null ? undefined : lte(triggers.siteId, throughSiteId)))
    .all();

export const deleteTrigger = (db: Db, siteId: string, id: string) =>
  db.delete(triggers).where(and(eq(triggers.siteId, siteId), eq(triggers.id, id))).returning({ id: triggers.id }).get();

/** Records the signature; false when it was seen before (a replay). */
export async function rememberSignature(db: Db, triggerId: string, signature: string, now: number): Promise<boolean> {
  const res = await db.insert(triggerSignatures).values({ triggerId, signature, at: now }).onConflictDoNothing().run();
  return res.meta.changes === 1;
}
export const pruneSignatures = (db: Db, before: number) => db.delete(triggerSignatures).where(lt(triggerSignatures.at, before));

/** Logs a call and keeps the newest `keep` of the trigger's. */
export async function logCall(db: Db, row: TriggerCallRow, keep: number) {
  const newest = db.select({ id: triggerCalls.id }).from(triggerCalls).where(eq(triggerCalls.triggerId, row.triggerId)).orderBy(desc(triggerCalls.at), desc(triggerCalls.id)).limit(keep);
  await db.batch([db.insert(triggerCalls).values(row), db.delete(triggerCalls).where(and(eq(triggerCalls.triggerId, row.triggerId), notInArray(triggerCalls.id, newest)))]);
}

export const listCalls = (db: Db, siteId: string, triggerId: string, limit: number) =>
  db.select().from(triggerCalls).where(and(eq(triggerCalls.siteId, siteId), eq(triggerCalls.triggerId, triggerId))).orderBy(desc(triggerCalls.at), desc(triggerCalls.id)).limit(limit).all();

export const lastCalls = (db: Db, siteId: string) =>
  db.all<{ triggerId: string; at: number; status: number }>(sql`select trigger_id as triggerId, max(at) as at, status from ${triggerCalls} where site_id = ${siteId} group by trigger_id`);
