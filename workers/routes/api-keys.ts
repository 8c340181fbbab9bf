// /api/sites/{siteId}/api-keys: server credentials (admin). The key is shown once.
import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { API_KEY_SCOPES, authorize } from "../services/access";
import * as apiKeys from "../services/api-keys";
import { SiteParams } from "./schemas";

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ example: "hk_Ab3dE5fG" }),
    scopes: z.array(z.string()),
    created_at: z.number().int(),
    last_used_at: z.number().int().nullable(),
    revoked_at: z.number().int().nullable(),
  })
  .openapi("ApiKey");
const CreatedApiKey = ApiKeySchema.extend({ key: z.string().openapi({ description: "Shown only once" }) }).openapi("CreatedApiKey");
const CreateApiKey = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "Backend" }),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length).openapi({ example: ["send", "subscribers:read"] }),
  })
  .openapi("CreateApiKeyRequest");
const KeyParams = SiteParams.extend({ keyId: pathId("keyId", "key_01jd0000000000000000000000") });

const common = { tags: ["API keys"], security: bearerSecurity };

export const apiKeyRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/api-keys",
      summary: "Create an API key (admin); the key is in this response only",
      request: { params: SiteParams, ...jsonBody(CreateApiKey) },
      responses: { 201: jsonResponse(CreatedApiKey, "Created"), ...commonErrors },
    }),
    async (c) => {
      const { access } = c.var;
      authorize(access, "api_keys:write");
      const createdBy = access.principal.kind === "user" ? access.principal.userId : null;
      return c.json(await apiKeys.createApiKey(c.var.deps, access.siteId, createdBy, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/api-keys",
      summary: "List API keys (admin)",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(ApiKeySchema) }), "Keys"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "api_keys:read");
      return c.json({ data: await apiKeys.listApiKeys(c.var.deps, c.var.access.siteId) }, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/api-keys/{keyId}",
      summary: "Revoke an API key (admin)",
      request: { params: KeyParams },
      responses: { 204: { description: "Revoked" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "api_keys:write");
      await apiKeys.revokeApiKey(c.var.deps, c.var.access.siteId, c.req.valid("param").keyId);
      return c.body(null, 204);
    },
  );
