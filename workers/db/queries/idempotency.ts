// SQL for Idempotency-Key records: a placeholder row (status 0) is claimed before
// the work, then filled with the response that is replayed on retries.
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../client";
import { idempotencyKeys } from "../schema";

export const findIdempotencyKey = (db: Db, siteId: string, key: string) =>
  db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.siteId, siteId), eq(idempotencyKeys.key, key))).get();

/** Claims the key; false when another request already holds it. */
export async function claimIdempotencyKey(db: Db, siteId: string, key: string, requestHash: string, now: number): Promise<boolean> {
  const res = await db.insert(idempotencyKeys).values({ siteId, key, requestHash, status: 0, body: "", createdAt: now }).onConflictDoNothing().run();
  return res.meta.changes === 1;
}

export const storeIdempotentResponse = (db: Db, siteId: string, key: string, status: number, body: string) =>
  db.update(idempotencyKeys).set({ status, body }).where(and(eq(idempotencyKeys.siteId, siteId), eq(idempotencyKeys.key, key))).run();

export const releaseIdempotencyKey = (db: Db, siteId: string, key: string) =>
  db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.siteId, siteId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.status, 0))).run();

export const deleteExpiredIdempotencyKeys = (db: Db, createdBefore: number) =>
  db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, createdBefore)).run();
