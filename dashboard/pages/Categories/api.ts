// The categories endpoints (workers/routes/categories.ts) as the Categories page calls them,
// through the dashboard's one request function (auth, refresh, ApiError).
import { request } from "../../api";
import type { Category, CategoryInput } from "../../../workers/contracts/preferences";
import type { z } from "@hono/zod-openapi";

export type { Category };
export type NewCategory = z.input<typeof CategoryInput>;

const base = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/categories`;
const one = (siteId: string, key: string) => `${base(siteId)}/${encodeURIComponent(key)}`;

export const categoriesApi = {
  list: (siteId: string) => request<{ data: Category[] }>("GET", base(siteId)),
  create: (siteId: string, body: NewCategory) => request<Category>("POST", base(siteId), body),
  update: (siteId: string, key: string, patch: Omit<NewCategory, "key">) => request<Category>("PATCH", one(siteId, key), patch),
  remove: (siteId: string, key: string) => request<void>("DELETE", one(siteId, key)),
};
