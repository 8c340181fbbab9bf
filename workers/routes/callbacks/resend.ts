// POST /api/callbacks/resend/{integrationId}: Resend's webhook for one integration (the endpoint
// URL to give Resend under Webhooks → Add endpoint, or POST /webhooks { endpoint, events }).
// Public: the Svix signature, checked with the integration's own signing secret, is the only
// credential. The raw body is what is signed, so it is read as bytes, not as JSON.
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponse, jsonResponse, newRouter, pathId } from "../../lib/hono";
import { SVIX_ID_HEADER, SVIX_SIGNATURE_HEADER, SVIX_TIMESTAMP_HEADER } from "../../providers/resend/webhook";
import { receiveResendEvent } from "../../services/integrations/resend-events";

export const resendCallbackRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/resend/{integrationId}",
    tags: ["Provider callbacks"],
    summary: "Resend webhook (Svix-signed): delivered, bounced and complained events move the message's delivery",
    description:
      "Resend posts one JSON event per request ({ type, created_at, data: { email_id, … } }) signed with svix-id, svix-timestamp and svix-signature under the webhook's whsec_ signing secret. The integration needs that secret in its credentials (webhook_secret) to verify them.",
    request: { params: z.object({ integrationId: pathId("integrationId", "int_01jd0000000000000000000000") }) },
    responses: {
      200: jsonResponse(z.object({ recorded: z.boolean() }), "Received: whether a delivery was updated"),
      400: errorResponse("Not a Resend webhook event"),
      401: errorResponse("Unsigned"),
      403: errorResponse("Bad or stale signature, or no signing secret configured"),
      404: errorResponse("No such integration"),
      413: errorResponse("Body too large"),
    },
  }),
  async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const headers = { id: c.req.header(SVIX_ID_HEADER), timestamp: c.req.header(SVIX_TIMESTAMP_HEADER), signature: c.req.header(SVIX_SIGNATURE_HEADER) };
    return c.json(await receiveResendEvent(c.var.deps, c.req.valid("param").integrationId, headers, body), 200);
  },
);
