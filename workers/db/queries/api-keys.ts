// SQL for API keys. Every read by id is scoped by site_id.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { apiKeys } from "../schema";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export const findApiKeyByHash = (db: Db, keyHash: string) =>
  db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).get();

export const touchApiKey = (db: Db, id: string, now: number) =>
  db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id)).run();

export const insertApiKey = (db: Db, row: typeof apiKeys.$inferInsert) => db.insert(apiKeys).values(row).run();

export const listApiKeys = (db: Db, siteId: string) =>
  db.select().from(apiKeys).where(eq(apiKeys.siteId, siteId)).orderBy(desc(apiKeys.createdAt)).all();

export const findApiKey = (db: Db, siteId: string, id: string) =>
  db.select().from(apiKeys).where(and(eq(apiKeys.siteId, siteId), eq(apiKeys.id, id))).get();

export const revokeApiKey = (db: Db, siteId: string, id: string, now: number) =>
  db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.siteId, siteId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .run();
