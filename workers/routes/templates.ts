// /api/sites/{siteId}/templates: message templates — create, list, read, edit the draft, delete;
// publish (draft → immutable version) and roll back (publish an older version again); versions;
// preview (render a channel for a locale, user and data exactly as a send would).
import { createRoute, z } from "@hono/zod-openapi";
import { PAGE_SIZE_MAX, TEMPLATE_PAGE_SIZE_DEFAULT } from "../config";
import {
  CreateTemplateRequest,
  PreviewRequest,
  PreviewResponse,
  PublishRequest,
  TemplateKey,
  TemplateSchema,
  TemplateSummarySchema,
  TemplateVersionSchema,
  TemplateVersionSummarySchema,
  UpdateTemplateRequest,
} from "../contracts/template";
import { bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter } from "../lib/hono";
import { authorize } from "../services/access";
import * as templates from "../services/templates";
import { SiteParams } from "./schemas";

const TemplateParams = SiteParams.extend({ templateKey: TemplateKey.openapi({ param: { name: "templateKey", in: "path" }, example: "order-shipped" }) });
const VersionParams = TemplateParams.extend({
  version: z.coerce.number().int().min(1).max(2_147_483_647).openapi({ param: { name: "version", in: "path" }, example: 1 }),
});
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(TEMPLATE_PAGE_SIZE_DEFAULT),
  cursor: z.string().max(64).optional(),
});
const VersionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(TEMPLATE_PAGE_SIZE_DEFAULT),
  cursor: z.coerce.number().int().min(1).optional(),
});
const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), next_cursor: z.string().nullable() });
const templateErrors = {
  ...commonErrors,
  409: errorResponse("Key taken (template_exists), nothing published yet (template_unpublished) or edited concurrently (invalid_state)"),
  422: errorResponse("The template does not render with this data: template_missing_variable, template_render_error, template_no_channel"),
} as const;

const common = { tags: ["Templates"], security: bearerSecurity };
const principalId = (p: { kind: "user"; userId: string } | { kind: "api_key"; keyId: string }) => (p.kind === "user" ? p.userId : p.keyId);

export const templateRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/templates",
      summary: "Create a template (its content is a draft until published)",
      request: { params: SiteParams, ...jsonBody(CreateTemplateRequest) },
      responses: { 201: jsonResponse(TemplateSchema, "Created"), ...templateErrors },
    }),
    async (c) => {
      authorize(c.var.access, "templates:write");
      return c.json(await templates.createTemplate(c.var.deps, c.var.access.siteId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/templates",
      summary: "List templates by key",
      request: { params: SiteParams, query: ListQuery },
      responses: { 200: jsonResponse(page(TemplateSummarySchema), "A page"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "templates:read");
      const { limit, cursor } = c.req.valid("query");
      return c.json(await templates.listTemplates(c.var.deps, c.var.access.siteId, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/templates/{templateKey}",
      summary: "Get a template with its draft",
      request: { params: TemplateParams },
      responses: { 200: jsonResponse(TemplateSchema, "The template"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "templates:read");
      return c.json(await templates.getTemplate(c.var.deps, c.var.access.siteId, c.req.valid("param").templateKey), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "patch",
      path: "/{siteId}/templates/{templateKey}",
      summary: "Edit the draft: name, description, default locale, parts per language and channel (null removes)",
      request: { params: TemplateParams, ...jsonBody(UpdateTemplateRequest) },
      responses: { 200: jsonResponse(TemplateSchema, "Updated"), ...templateErrors },
    }),
    async (c) => {
      authorize(c.var.access, "templates:write");
      return c.json(await templates.updateTemplate(c.var.deps, c.var.access.siteId, c.req.valid("param").templateKey, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/templates/{templateKey}",
      summary: "Delete a template and all its versions (messages naming it fail from then on)",
      request: { params: TemplateParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "templates:publish");
      await templates.deleteTemplate(c.var.deps, c.var.access.siteId, c.req.valid("param").templateKey);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/templates/{templateKey}/publish",
      summary: "Publish the draft as the next version; with {version}, publish that older version's content again (roll back)",
      description:
        "Sends use the latest published version unless they pin one. A roll back never rewrites history: it publishes the old content as a new version, and leaves the draft as it is. Publishing what is already current answers that version with 200 and writes nothing.",
      request: { params: TemplateParams, body: { content: { "application/json": { schema: PublishRequest } }, required: false, description: "Optional" } },
      responses: { 201: jsonResponse(TemplateVersionSchema, "Published"), 200: jsonResponse(TemplateVersionSchema, "Already current"), ...templateErrors },
    }),
    async (c) => {
      authorize(c.var.access, "templates:publish");
      const { access } = c.var;
      const { version, created } = await templates.publishTemplate(c.var.deps, access.siteId, c.req.valid("param").templateKey, c.req.valid("json") ?? {}, principalId(access.principal));
      return created ? c.json(version, 201) : c.json(version, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/templates/{templateKey}/versions",
      summary: "Published versions, newest first",
      request: { params: TemplateParams, query: VersionsQuery },
      responses: { 200: jsonResponse(page(TemplateVersionSummarySchema), "A page"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "templates:read");
      const { limit, cursor } = c.req.valid("query");
      return c.json(await templates.listVersions(c.var.deps, c.var.access.siteId, c.req.valid("param").templateKey, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/templates/{templateKey}/versions/{version}",
      summary: "One published version with its content",
      request: { params: VersionParams },
      responses: { 200: jsonResponse(TemplateVersionSchema, "The version"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "templates:read");
      const { templateKey, version } = c.req.valid("param");
      return c.json(await templates.getVersion(c.var.deps, c.var.access.siteId, templateKey, version), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/templates/{templateKey}/preview",
      summary: "Render one channel as a send would: for a locale, a user and data; the published version, a pinned one, or the draft",
      request: { params: TemplateParams, ...jsonBody(PreviewRequest) },
      responses: { 200: jsonResponse(PreviewResponse, "What would be sent"), ...templateErrors },
    }),
    async (c) => {
      authorize(c.var.access, "templates:read");
      return c.json(await templates.previewTemplate(c.var.deps, c.var.access.siteId, c.req.valid("param").templateKey, c.req.valid("json")), 200);
    },
  );
