// A site's notification categories (issue #9 §3): what users opt in and out of, whether they may
// (required), per-channel defaults and digest rules. Deleting one leaves sends that named it
// working: the decision finds no category and applies no category rules.
import type { Category } from "../../contracts/preferences";
import { CategoryInput } from "../../contracts/preferences";
import * as q from "../../db/queries/categories";
import { ApiError } from "../../errors";
import type { Deps } from "../deps";
import type { z } from "@hono/zod-openapi";

export type CategoryInput = z.infer<typeof CategoryInput>;
export type CategoryPatch = Partial<Omit<CategoryInput, "key">>;

export const categoryView = (r: q.CategoryRow): Category => ({
  key: r.key,
  name: r.name,
  description: r.description,
  default_enabled: r.defaultEnabled,
  required: r.required,
  channels: r.channels,
  digest: r.digest ?? null,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export const listCategories = async (deps: Deps, siteId: string) => (await q.listCategories(deps.db, siteId)).map(categoryView);

export async function getCategory(deps: Deps, siteId: string, key: string) {
  const row = await q.findCategory(deps.db, siteId, key);
  if (!row) throw new ApiError("not_found", `No category ${key}.`);
  return categoryView(row);
}

export async function createCategory(deps: Deps, siteId: string, input: CategoryInput) {
  const now = deps.now();
  const row = await q.insertCategory(deps.db, {
    siteId,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    defaultEnabled: input.default_enabled ?? true,
    required: input.required ?? false,
    channels: input.channels ?? {},
    digest: input.digest ?? null,
    createdAt: now,
    updatedAt: now,
  });
  if (!row) throw new ApiError("category_exists", `A category with the key ${input.key} already exists: edit it, or pick another key.`, [{ path: "key", message: "Taken." }]);
  return categoryView(row);
}

export async function updateCategory(deps: Deps, siteId: string, key: string, patch: CategoryPatch) {
  const row = await q.updateCategory(deps.db, siteId, key, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.default_enabled !== undefined ? { defaultEnabled: patch.default_enabled } : {}),
    ...(patch.required !== undefined ? { required: patch.required } : {}),
    ...(patch.channels !== undefined ? { channels: patch.channels } : {}),
    ...(patch.digest !== undefined ? { digest: patch.digest } : {}),
    updatedAt: deps.now(),
  });
  if (!row) throw new ApiError("not_found", `No category ${key}.`);
  return categoryView(row);
}

export async function deleteCategory(deps: Deps, siteId: string, key: string) {
  if (!(await q.deleteCategory(deps.db, siteId, key))) throw new ApiError("not_found", `No category ${key}.`);
}

/** For messages and campaigns that name a category: it must be one of the site's. */
export async function assertCategoryExists(deps: Deps, siteId: string, key: string | null | undefined, field = "category") {
  if (key == null) return;
  if (!(await q.findCategory(deps.db, siteId, key))) {
    throw new ApiError("validation_failed", `The site has no category ${key}: create it under Categories, or leave category out.`, [{ path: field, message: "Unknown category." }]);
  }
}
