// SQL for users and refresh tokens.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { refreshTokenFamilies, refreshTokens, users } from "../schema";

export type UserRow = typeof users.$inferSelect;

export const findUserByEmail = (db: Db, email: string) => db.select().from(users).where(eq(users.email, email)).get();
export const findUserById = (db: Db, id: string) => db.select().from(users).where(eq(users.id, id)).get();
export const insertUser = (db: Db, row: typeof users.$inferInsert) => db.insert(users).values(row).run();

export async function insertRefreshToken(
  db: Db,
  row: { id: string; familyId: string; tokenHash: string; createdAt: number; expiresAt: number },
  newFamilyForUser?: string,
) {
  const insertToken = db.insert(refreshTokens).values(row);
  if (!newFamilyForUser) return insertToken.run();
  return db.batch([
    db.insert(refreshTokenFamilies).values({ id: row.familyId, userId: newFamilyForUser, createdAt: row.createdAt }),
    insertToken,
  ]);
}

export const findRefreshToken = (db: Db, tokenHash: string) =>
  db
    .select({ token: refreshTokens, family: refreshTokenFamilies })
    .from(refreshTokens)
    .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .get();

/** Marks a token used; returns false if another request rotated it first (a race is reuse too). */
export async function markRefreshTokenRotated(db: Db, id: string, now: number): Promise<boolean> {
  const res = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.rotatedAt)))
    .run();
  return res.meta.changes === 1;
}

export const revokeFamily = (db: Db, familyId: string, reason: string, now: number) =>
  db
    .update(refreshTokenFamilies)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(refreshTokenFamilies.id, familyId), isNull(refreshTokenFamilies.revokedAt)))
    .run();

export const findFamily = (db: Db, familyId: string) =>
  db.select({ revokedAt: refreshTokenFamilies.revokedAt }).from(refreshTokenFamilies).where(eq(refreshTokenFamilies.id, familyId)).get();
