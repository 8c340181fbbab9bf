// /api/sites/{siteId}/integrations: the outside providers a site sends through, per channel —
// add, list, read, rename / rotate credentials / change settings / make primary, delete, and a
// test send that reports the provider's answer in words. Credentials are write-only.
import { createRoute, z } from "@hono/zod-openapi";
import { PROVIDER_IDS } from "../contracts/providers";
import { bearerSecurity, commonErrors, errorResponse, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { authorize } from "../services/access";
import * as integrations from "../services/integrations";
import { SiteParams } from "./schemas";

const PROVIDER_CHANNELS = ["email", "sms", "whatsapp", "fcm"] as const;

const Name = z.string().trim().min(1).max(100).openapi({ example: "SendGrid (marketing)" });
const Credentials = z
  .record(z.string().max(100), z.unknown())
  .openapi({
    description: "The provider's secret fields (SendGrid, Resend: api_key; Twilio: auth_token or api_key_sid + api_key_secret; FCM: service_account). Sealed at rest, never returned.",
    example: { api_key: "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" },
  });
const Settings = z.record(z.string().max(100), z.unknown()).openapi({
  description: "The provider's other fields (SendGrid: from_email, from_name, event_webhook_public_key; Resend: from_email, from_name; Twilio: account_sid and a sender; FCM: project settings). Returned as stored.",
  example: { from_email: "news@acme.example.com", from_name: "Acme" },
});

const CreateIntegration = z
  .strictObject({
    channel: z.enum(PROVIDER_CHANNELS),
    provider: z.enum(PROVIDER_IDS),
    name: Name,
    credentials: Credentials,
    settings: Settings.default({}),
  })
  .openapi("CreateIntegrationRequest", {
    example: {
      channel: "email",
      provider: "sendgrid",
      name: "SendGrid",
      credentials: { api_key: "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" },
      settings: { from_email: "news@acme.example.com", from_name: "Acme" },
    },
  });

const UpdateIntegration = z
  .strictObject({
    name: Name.optional(),
    credentials: Credentials.optional().openapi({ description: "New credentials: they replace the old ones whole (rotation)." }),
    settings: Settings.optional().openapi({ description: "New settings: they replace the old ones whole." }),
    primary: z.literal(true).optional().openapi({ description: "Make this the channel's primary (the one sends use). To stop, make another one primary." }),
  })
  .openapi("UpdateIntegrationRequest", { example: { name: "SendGrid (transactional)" } });

const IntegrationSchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    provider: z.string(),
    name: z.string(),
    primary: z.boolean(),
    credentials_hint: z.string().openapi({ example: "••••cr5c" }),
    settings: z.record(z.string(), z.unknown()),
    last_test: z.object({ at: z.number().int(), ok: z.boolean(), message: z.string() }).nullable(),
    problem: z.object({ message: z.string(), at: z.number().int() }).nullable().openapi({ description: "What a real send ran into that the site must fix" }),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("Integration");

const TestRequest = z.strictObject({ to: z.string().trim().min(1).max(4096).openapi({ example: "ada@example.com", description: "Email address, E.164 number or FCM token, by channel" }) }).openapi("IntegrationTestRequest");
const TestResultSchema = z
  .object({
    ok: z.boolean(),
    outcome: z.enum(["sent", "gone", "retry", "failed"]),
    reason: z.string().nullable(),
    provider_status: z.number().int().nullable(),
    provider_code: z.string().nullable(),
    provider_message_id: z.string().nullable(),
    message: z.string().openapi({ example: "SendGrid accepted the message (HTTP 202)." }),
  })
  .openapi("IntegrationTestResult");

const IntegrationParams = SiteParams.extend({ integrationId: pathId("integrationId", "int_01jd0000000000000000000000") });
const common = { tags: ["Integrations"], security: bearerSecurity };

export const integrationRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/integrations",
      summary: "Add a provider for a channel (the channel's first becomes its primary)",
      request: { params: SiteParams, ...jsonBody(CreateIntegration) },
      responses: { 201: jsonResponse(IntegrationSchema, "Added"), ...commonErrors, 409: errorResponse("The site already has the most integrations allowed (invalid_state)") },
    }),
    async (c) => {
      authorize(c.var.access, "integrations:write");
      return c.json(await integrations.createIntegration(c.var.deps, c.var.access.siteId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/integrations",
      summary: "List the site's integrations, by channel",
      request: { params: SiteParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(IntegrationSchema) }), "Integrations"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "integrations:read");
      return c.json({ data: await integrations.listIntegrations(c.var.deps, c.var.access.siteId) }, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/integrations/{integrationId}",
      summary: "Get an integration (credentials are never returned: see credentials_hint)",
      request: { params: IntegrationParams },
      responses: { 200: jsonResponse(IntegrationSchema, "The integration"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "integrations:read");
      return c.json(await integrations.getIntegration(c.var.deps, c.var.access.siteId, c.req.valid("param").integrationId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "patch",
      path: "/{siteId}/integrations/{integrationId}",
      summary: "Rename, rotate credentials, replace settings, or make primary",
      request: { params: IntegrationParams, ...jsonBody(UpdateIntegration) },
      responses: { 200: jsonResponse(IntegrationSchema, "Updated"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "integrations:write");
      return c.json(await integrations.updateIntegration(c.var.deps, c.var.access.siteId, c.req.valid("param").integrationId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/integrations/{integrationId}",
      summary: "Delete an integration (a deleted primary is replaced by the channel's oldest other one)",
      request: { params: IntegrationParams },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "integrations:write");
      await integrations.deleteIntegration(c.var.deps, c.var.access.siteId, c.req.valid("param").integrationId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/integrations/{integrationId}/test",
      summary: "Send a short test message through the integration and report the provider's answer",
      request: { params: IntegrationParams, ...jsonBody(TestRequest) },
      responses: { 200: jsonResponse(TestResultSchema, "The provider's answer (ok: false when it refused)"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "integrations:write");
      const { integrationId } = c.req.valid("param");
      return c.json(await integrations.testIntegration(c.var.deps, c.var.access.siteId, integrationId, c.req.valid("json").to, new URL(c.req.url).origin), 200);
    },
  );
