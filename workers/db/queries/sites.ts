// SQL for sites (tenants) and their VAPID keys.
import { eq, gt } from "drizzle-orm";
import type { Db } from "../client";
import { siteIdentitySecrets, siteMembers, sites, siteVapidKeys } from "../schema";

export type SiteRow = typeof sites.$inferSelect;
export type VapidKeyRow = typeof siteVapidKeys.$inferSelect;

/** Creates the site, its owner membership, its VAPID keys and identity secret in one transaction. */
export const insertSite = (db: Db, site: SiteRow, ownerId: string, vapid: VapidKeyRow, identity: typeof siteIdentitySecrets.$inferSelect) =>
  db.batch([
    db.insert(sites).values(site),
    db.insert(siteMembers).values({ siteId: site.id, userId: ownerId, role: "owner", createdAt: site.createdAt }),
    db.insert(siteVapidKeys).values(vapid),
    db.insert(siteIdentitySecrets).values(identity),
  ]);

export const findSite = (db: Db, siteId: string) => db.select().from(sites).where(eq(sites.id, siteId)).get();
export const findSiteByKey = (db: Db, siteKey: string) => db.select().from(sites).where(eq(sites.siteKey, siteKey)).get();

export const updateSite = (db: Db, siteId: string, patch: Partial<Pick<SiteRow, "name" | "url" | "settings" | "vapidWarning" | "updatedAt">>) =>
  db.update(sites).set(patch).where(eq(sites.id, siteId)).run();

export const deleteSite = (db: Db, siteId: string) => db.delete(sites).where(eq(sites.id, siteId)).run();

export const findVapidKeys = (db: Db, siteId: string) =>
  db.select().from(siteVapidKeys).where(eq(siteVapidKeys.siteId, siteId)).get();

export const listVapidKeys = (db: Db, afterSiteId: string, limit: number) =>
  db.select().from(siteVapidKeys).where(gt(siteVapidKeys.siteId, afterSiteId)).orderBy(siteVapidKeys.siteId).limit(limit).all();


export const updateVapidPrivateKey = (db: Db, siteId: string, privateKeyEnc: string) =>
  db.update(siteVapidKeys).set({ privateKeyEnc }).where(eq(siteVapidKeys.siteId, siteId)).run();

/** Sites in id order after `afterId` (for jobs that visit every site). */
export const listSitesPage = (db: Db, afterId: string, limit: number) =>
  db.select({ id: sites.id, settings: sites.settings }).from(sites).where(gt(sites.id, afterId)).orderBy(sites.id).limit(limit).all();
