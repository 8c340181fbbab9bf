// /api/sites: create and list the caller's sites; read, update, delete one site.
import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter } from "../lib/hono";
import { authorize, requireUser } from "../services/access";
import * as sites from "../services/sites";
import { HttpsUrl, SettingsPatch, SiteParams, SiteSchema } from "./schemas";

const CreateSite = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "Acme Shop" }),
    url: HttpsUrl,
    settings: SettingsPatch.optional(),
  })
  .openapi("CreateSiteRequest");
const UpdateSite = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional().openapi({ example: "Acme Store" }),
    url: HttpsUrl.optional(),
    settings: SettingsPatch.optional(),
  })
  .openapi("UpdateSiteRequest");

const common = { tags: ["Sites"], security: bearerSecurity };

export const siteRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/",
      summary: "Create a site (you become its owner)",
      request: jsonBody(CreateSite),
      responses: {
        201: jsonResponse(
          SiteSchema.extend({
            identity_secret: z.string().openapi({ description: "Signs external ids (identity verification). Shown only in this response; rotate it to get a new one." }),
          }),
          "The new site",
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const userId = requireUser(c.var.principal);
      return c.json(await sites.createSite(c.var.deps, userId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/",
      summary: "List the sites you belong to",
      responses: { 200: jsonResponse(z.object({ data: z.array(SiteSchema) }), "Your sites"), ...commonErrors },
    }),
    async (c) => c.json({ data: await sites.listSites(c.var.deps, requireUser(c.var.principal)) }, 200),
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}",
      summary: "Get a site",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(SiteSchema, "The site"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "site:read");
      return c.json(await sites.getSite(c.var.deps, c.var.access.siteId, c.var.access.role), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "patch",
      path: "/{siteId}",
      summary: "Update a site's name, URL or settings (admin)",
      request: { params: SiteParams, ...jsonBody(UpdateSite) },
      responses: { 200: jsonResponse(SiteSchema, "The updated site"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "settings:write");
      return c.json(await sites.updateSite(c.var.deps, c.var.access.siteId, c.req.valid("json"), c.var.access.role), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}",
      summary: "Delete a site and everything in it (owner)",
      request: { params: SiteParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "site:delete");
      await sites.deleteSite(c.var.deps, c.var.access.siteId);
      return c.body(null, 204);
    },
  );
