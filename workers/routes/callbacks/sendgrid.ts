// POST /api/callbacks/sendgrid/{integrationId}: SendGrid's Event Webhook for one integration
// (the URL to paste into SendGrid's Mail Settings → Event Webhook, with Signature Verification
// on). Public: SendGrid's ECDSA signature, checked with the integration's verification key, is
// the only credential. The raw body is what is signed, so it is read as bytes, not as JSON.
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponse, jsonResponse, newRouter, pathId } from "../../lib/hono";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../../providers/sendgrid/event-webhook";
import { receiveSendGridEvents } from "../../services/integrations/sendgrid-events";

export const sendgridCallbackRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/sendgrid/{integrationId}",
    tags: ["Provider callbacks"],
    summary: "SendGrid Event Webhook (signed): delivered, bounce and dropped events move the message's deliveries",
    request: { params: z.object({ integrationId: pathId("integrationId", "int_01jd0000000000000000000000") }) },
    responses: {
      200: jsonResponse(z.object({ events: z.number().int(), recorded: z.number().int() }), "Received: events acted on, deliveries found"),
      400: errorResponse("Not SendGrid's JSON array of events"),
      401: errorResponse("Unsigned"),
      403: errorResponse("Bad or stale signature, or no verification key configured"),
      404: errorResponse("No such integration"),
      413: errorResponse("Body too large"),
    },
  }),
  async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const headers = { signature: c.req.header(SIGNATURE_HEADER), timestamp: c.req.header(TIMESTAMP_HEADER) };
    return c.json(await receiveSendGridEvents(c.var.deps, c.req.valid("param").integrationId, headers, body), 200);
  },
);
