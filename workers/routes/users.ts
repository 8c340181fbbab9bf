// /api/sites/{siteId}/users: a site's own users by external id — create or update (identify),
// list with filters and cursor pages, read, edit, erase (GDPR), export — and their devices:
// web push subscriptions linked by a verified external id, and FCM tokens registered here.
import { createRoute, z } from "@hono/zod-openapi";
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "../config";
import { FreeFormData } from "../contracts/common";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter, pathId } from "../lib/hono";
import { PresenceSchema } from "../contracts/inbox";
import { authorize } from "../services/access";
import * as users from "../services/users";
import { isTimezone, SiteParams } from "./schemas";

/** External ids are the site's own user ids: e-mails, "auth0|123", UUIDs… any printable text. */
export const ExternalId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/, "Must not contain control characters.")
  .openapi({ example: "user-42" });
const isLocale = (s: string) => {
  try {
    return Intl.getCanonicalLocales(s).length === 1;
  } catch {
    return false;
  }
};
const Profile = {
  email: z.email().max(254).nullable().optional().openapi({ example: "ada@example.com" }),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, "Must be an international number in E.164 form, like +14155550123.")
    .nullable()
    .optional()
    .openapi({ example: "+14155550123" }),
  locale: z.string().max(35).refine(isLocale, "Must be a language tag like en, fr-CA or pt-BR.").nullable().optional().openapi({ example: "fr-FR" }),
  timezone: z.string().max(64).refine(isTimezone, "Unknown IANA timezone.").nullable().optional().openapi({ example: "Europe/Paris" }),
  attributes: FreeFormData.optional().openapi({ example: { plan: "pro", name: "Ada" } }),
};
const CreateUser = z.strictObject({ external_id: ExternalId, ...Profile }).openapi("CreateUserRequest");
const UpdateUser = z.strictObject(Profile).openapi("UpdateUserRequest");
const UserSchema = z
  .object({
    external_id: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    locale: z.string().nullable(),
    timezone: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    unreachable: z
      .record(z.string(), z.object({ reason: z.string(), code: z.string().nullable(), at: z.number().int() }))
      .openapi({ description: "Channels whose address proved unusable (hard bounce, invalid number); cleared when the address changes" }),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("SiteUser");
const DeviceSchema = z
  .object({
    id: z.string(),
    type: z.enum(["web_push", "fcm"]),
    platform: z.string().nullable(),
    active: z.boolean(),
    created_at: z.number().int(),
    last_seen_at: z.number().int(),
  })
  .openapi("Device");
const RegisterDevice = z
  .strictObject({
    type: z.literal("fcm").openapi({ description: "FCM registration token (Android, and iOS apps through FCM)" }),
    token: z
      .string()
      .regex(/^[A-Za-z0-9_:-]{20,4096}$/, "Must be an FCM registration token.")
      .openapi({ example: "dXN1YWxseS0xNTItY2hhcnM6QVBBOTFiSFBSZ2tGM0pVaWtDNEVOQUhFZU1yZDQxWnh2M2hWWmpD" }),
    platform: z.enum(["android", "ios"]),
  })
  .openapi("RegisterDeviceRequest");

export const UserParams = SiteParams.extend({ externalId: ExternalId.openapi({ param: { name: "externalId", in: "path" }, example: "user-42" }) });
const DeviceParams = UserParams.extend({ deviceId: pathId("deviceId", "dev_01jd0000000000000000000000") });
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  cursor: z.string().max(64).optional(),
  email: z.string().max(254).optional(),
  locale: z.string().max(35).optional(),
  q: z.string().min(1).max(254).optional().openapi({ description: "Users whose external id, or e-mail, starts with this" }),
});

const common = { tags: ["Users"], security: bearerSecurity };

export const userRoutes = newRouter()
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/users",
      summary: "Create a user, or update the one with this external_id (identify)",
      request: { params: SiteParams, ...jsonBody(CreateUser) },
      responses: { 201: jsonResponse(UserSchema, "Created"), 200: jsonResponse(UserSchema, "Updated"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:write");
      const { external_id, ...profile } = c.req.valid("json");
      const { user, created } = await users.upsertUser(c.var.deps, c.var.access.siteId, external_id, profile);
      return created ? c.json(user, 201) : c.json(user, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/users",
      summary: "List users, newest first",
      request: { params: SiteParams, query: ListQuery },
      responses: { 200: jsonResponse(z.object({ data: z.array(UserSchema), next_cursor: z.string().nullable() }), "A page"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:read");
      const { limit, cursor, ...filter } = c.req.valid("query");
      return c.json(await users.listUsers(c.var.deps, c.var.access.siteId, filter, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/users/{externalId}",
      summary: "Get a user, with their presence (connected to the inbox now, last seen)",
      request: { params: UserParams },
      responses: { 200: jsonResponse(UserSchema.extend({ presence: PresenceSchema }).openapi("SiteUserWithPresence"), "The user"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:read");
      return c.json(await users.getUserWithPresence(c.var.deps, c.var.access.siteId, c.req.valid("param").externalId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "patch",
      path: "/{siteId}/users/{externalId}",
      summary: "Edit a user's e-mail, phone, locale, timezone or attributes (null clears)",
      request: { params: UserParams, ...jsonBody(UpdateUser) },
      responses: { 200: jsonResponse(UserSchema, "Updated"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:write");
      return c.json(await users.updateUser(c.var.deps, c.var.access.siteId, c.req.valid("param").externalId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/users/{externalId}",
      summary: "Erase a user, their devices and their delivery history (GDPR)",
      request: { params: UserParams },
      responses: { 204: { description: "Erased" }, ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:write");
      await users.eraseUser(c.var.deps, c.var.access.siteId, c.req.valid("param").externalId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/users/{externalId}/export",
      summary: "Everything held about a user (GDPR access request)",
      request: { params: UserParams },
      responses: { 200: jsonResponse(z.record(z.string(), z.unknown()), "Export"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:read");
      c.header("Content-Disposition", 'attachment; filename="user-export.json"');
      return c.json(await users.exportUser(c.var.deps, c.var.access.siteId, c.req.valid("param").externalId), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/users/{externalId}/messages",
      summary: "What a user received, newest first, on every channel",
      request: {
        params: UserParams,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
          cursor: z.string().max(300).optional(),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({
            data: z.array(
              z.object({
                notification_id: z.string(),
                kind: z.enum(["campaign", "message"]),
                headline: z.string().nullable(),
                channel: z.string(),
                recipient_id: z.string(),
                status: z.string(),
                reason: z.string().nullable(),
                reason_label: z.string().nullable(),
                at: z.number().int(),
              }),
            ),
            next_cursor: z.string().nullable(),
          }),
          "A page",
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      authorize(c.var.access, "users:read");
      const { cursor, limit } = c.req.valid("query");
      return c.json(await users.userMessages(c.var.deps, c.var.access.siteId, c.req.valid("param").externalId, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "get",
      path: "/{siteId}/users/{externalId}/devices",
      summary: "A user's devices: browsers subscribed with their verified id, and FCM tokens",
      request: { params: UserParams },
      responses: { 200: jsonResponse(z.object({ data: z.array(DeviceSchema) }), "Devices"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:read");
      return c.json({ data: await users.listDevices(c.var.deps, c.var.access.siteId, c.req.valid("param").externalId) }, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "post",
      path: "/{siteId}/users/{externalId}/devices",
      summary: "Register a mobile device's FCM token for an existing user (a known token moves to this user)",
      request: { params: UserParams, ...jsonBody(RegisterDevice) },
      responses: { 201: jsonResponse(DeviceSchema, "Registered"), 200: jsonResponse(DeviceSchema, "Already known: refreshed"), ...commonErrors },
    }),
    async (c) => {
      authorize(c.var.access, "users:write");
      const { device, created } = await users.registerDevice(c.var.deps, c.var.access.siteId, c.req.valid("param").externalId, c.req.valid("json"));
      return created ? c.json(device, 201) : c.json(device, 200);
    },
  )
  .openapi(
    createRoute({
      ...common,
      method: "delete",
      path: "/{siteId}/users/{externalId}/devices/{deviceId}",
      summary: "Remove a device: an FCM token is deleted, a browser is unlinked from the user",
      request: { params: DeviceParams },
      responses: { 204: { description: "Removed" }, ...commonErrors },
    }),
    async (c) => {
      const { externalId, deviceId } = c.req.valid("param");
      authorize(c.var.access, "users:write");
      await users.removeDevice(c.var.deps, c.var.access.siteId, externalId, deviceId);
      return c.body(null, 204);
    },
  );
