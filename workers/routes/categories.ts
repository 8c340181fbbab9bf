// /api/sites/{siteId}/categories: the site's notification categories (issue #9 §3) — what users
// opt in and out of (unless required), per-channel defaults and digest rules. Messages and
// campaigns name one in `category`.
import { createRoute, z } from "@hono/zod-openapi";
import { CategoryInput, CategoryKey, CategorySchema } from "../contracts/preferences";
import { bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter } from "../lib/hono";
import { authorize } from "../services/access";
import * as categories from "../services/preferences/categories";
import { SiteParams } from "./schemas";

const CategoryParams = SiteParams.extend({ categoryKey: CategoryKey.openapi({ param: { name: "categoryKey", in: "path" }, example: "comments" }) });
const UpdateCategory = CategoryInput.omit({ key: true }).partial().openapi("UpdateCategoryRequest");
const common = { tags: ["Categories"], security: bearerSecurity };

export const categoryRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/categories",
      summary: "The site's notification categories, by key",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(CategorySchema) }), "Every category"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "categories:read");
      return c.json({ data: await categories.listCategories(c.var.deps, c.var.access.siteId) }, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/categories",
      summary: "Create a category (its key is unique per site)",
      request: { params: SiteParams, ...jsonBody(CategoryInput) },
      responses: { 201: jsonResponse(CategorySchema, "Created"), ...commonErrors, 409: errorResponse("The key is taken (category_exists)") },
    }),
    async (c) => {
      authorize(c.var.access, "categories:write");
      return c.json(await categories.createCategory(c.var.deps, c.var.access.siteId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/categories/{categoryKey}",
      summary: "One category",
      request: { params: CategoryParams },
      responses: { 200: jsonResponse(CategorySchema, "The category"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "categories:read");
      return c.json(await categories.getCategory(c.var.deps, c.var.access.siteId, c.req.valid("param").categoryKey), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "patch",
      path: "/{siteId}/categories/{categoryKey}",
      summary: "Change a category: name, description, default, required, channel defaults, digest rule (null removes it)",
      request: { params: CategoryParams, ...jsonBody(UpdateCategory) },
      responses: { 200: jsonResponse(CategorySchema, "Updated"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "categories:write");
      return c.json(await categories.updateCategory(c.var.deps, c.var.access.siteId, c.req.valid("param").categoryKey, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/categories/{categoryKey}",
      summary: "Delete a category: sends that name it go on without category rules, users' overrides of it are ignored",
      request: { params: CategoryParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "categories:write");
      await categories.deleteCategory(c.var.deps, c.var.access.siteId, c.req.valid("param").categoryKey);
      return c.body(null, 204);
    },
  );
