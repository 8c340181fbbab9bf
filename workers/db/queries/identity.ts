// SQL for sites' identity secrets (sealed; see services/identity.ts).
import { eq, gt } from "drizzle-orm";
import type { Db } from "../client";
import { siteIdentitySecrets } from "../schema";

export type IdentitySecretRow = typeof siteIdentitySecrets.$inferSelect;

export const findIdentitySecret = (db: Db, siteId: string) =>
  db.select().from(siteIdentitySecrets).where(eq(siteIdentitySecrets.siteId, siteId)).get();

export const insertIdentitySecret = (db: Db, row: IdentitySecretRow) => db.insert(siteIdentitySecrets).values(row);

/** Replaces the secret; the one it replaces stays valid until `previousExpiresAt`. */
export const rotateIdentitySecret = (db: Db, row: IdentitySecretRow) =>
  db
    .insert(siteIdentitySecrets)
    .values(row)
    .onConflictDoUpdate({
      target: siteIdentitySecrets.siteId,
      set: { secretEnc: row.secretEnc, hint: row.hint, createdAt: row.createdAt, previousEnc: row.previousEnc, previousExpiresAt: row.previousExpiresAt },
    })
    .run();

export const listIdentitySecrets = (db: Db, afterSiteId: string, limit: number) =>
  db.select().from(siteIdentitySecrets).where(gt(siteIdentitySecrets.siteId, afterSiteId)).orderBy(siteIdentitySecrets.siteId).limit(limit).all();

export const updateIdentitySecretEnvelopes = (db: Db, siteId: string, patch: { secretEnc: string; previousEnc: string | null }) =>
  db.update(siteIdentitySecrets).set(patch).where(eq(siteIdentitySecrets.siteId, siteId)).run();
