// /api/sites/{siteId}/broadcasts: one in-app item to many of the site's users at once (issue #9
// §2) — every user ({ all: true }, the default) or a list of external ids. A broadcast is a
// message on the in_app channel (services/messages.ts): it fans out through the send queue in
// batches of users, each writing into that user's inbox object and reaching their open sockets,
// never a loop in one request. Honours Idempotency-Key like POST …/messages.
import { createRoute, z } from "@hono/zod-openapi";
import { MAX_TARGET_IDS } from "../config";
import { FreeFormData } from "../contracts/common";
import { InAppContentSchema } from "../contracts/message-content";
import { CategoryKey } from "../contracts/preferences";
import { IdempotencyHeader, idempotencyErrors, idempotent } from "../http/idempotency";
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, newRouter } from "../lib/hono";
import { authorize } from "../services/access";
import * as messages from "../services/messages";
import type { MessageView } from "../services/messages";
import { MessageSchema } from "./messages";
import { SiteParams } from "./schemas";

const Audience = z
  .union([z.strictObject({ all: z.literal(true) }), z.strictObject({ external_ids: z.array(z.string().min(1).max(200)).min(1).max(MAX_TARGET_IDS) })], {
    error: "Must be { all: true } or { external_ids: [...] }.",
  })
  .openapi("BroadcastAudience", { example: { all: true } });

const CreateBroadcast = z
  .strictObject({
    content: InAppContentSchema,
    audience: Audience.optional().openapi({ description: `Whose inbox: { all: true } (default) or { external_ids: [...] } (up to ${MAX_TARGET_IDS})` }),
    category: CategoryKey.optional().openapi({ description: "One of the site's categories (users' preferences for it apply)" }),
    data: FreeFormData.optional().openapi({ description: "Kept on each item (item.data)" }),
  })
  .openapi("CreateBroadcastRequest", { example: { content: { title: "We are down for maintenance at 22:00 UTC", url: "https://status.example.com" } } });

export const broadcastRoutes = newRouter().openapi(
  createRoute({
    tags: ["Messages"],
    security: bearerSecurity,
    method: "post",
    path: "/{siteId}/broadcasts",
    summary: "Write one in-app item into many users' inboxes (fanned out through the queue); 202 with the message",
    request: { params: SiteParams, headers: IdempotencyHeader, ...jsonBody(CreateBroadcast) },
    responses: { 202: jsonResponse(MessageSchema, "Accepted: fanning out through the queue"), ...commonErrors, ...idempotencyErrors },
  }),
  async (c) => {
    const { access } = c.var;
    authorize(access, "notifications:send");
    const createdBy = access.principal.kind === "user" ? access.principal.userId : null;
    const body = c.req.valid("json");
    const r = await idempotent(c, body, async () => ({
      status: 202,
      body: await messages.createMessage(c.var.deps, access.siteId, createdBy, {
        to: body.audience ?? { all: true },
        content: { in_app: body.content },
        channels: ["in_app"],
        category: body.category,
        data: body.data,
      }),
    }));
    return c.json(r.body as MessageView, 202);
  },
);
