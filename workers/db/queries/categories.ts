// SQL for a site's notification categories (issue #9 §3). Every query is scoped by site_id; the
// primary key (site_id, key) serves them all.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { categories } from "../schema";

export type CategoryRow = typeof categories.$inferSelect;

export const listCategories = (db: Db, siteId: string) => db.select().from(categories).where(eq(categories.siteId, siteId)).orderBy(asc(categories.key)).all();

export const findCategory = (db: Db, siteId: string, key: string) =>
  db.select().from(categories).where(and(eq(categories.siteId, siteId), eq(categories.key, key))).get();

/** Inserts the category; returns it, or undefined when the key is taken (no error to parse). */
export const insertCategory = (db: Db, row: CategoryRow) => db.insert(categories).values(row).onConflictDoNothing().returning().get();

export const updateCategory = (db: Db, siteId: string, key: string, patch: Partial<Omit<CategoryRow, "siteId" | "key" | "createdAt">>) =>
  db.update(categories).set(patch).where(and(eq(categories.siteId, siteId), eq(categories.key, key))).returning().get();

export const deleteCategory = (db: Db, siteId: string, key: string) =>
  db.delete(categories).where(and(eq(categories.siteId, siteId), eq(categories.key, key))).returning({ key: categories.key }).get();
