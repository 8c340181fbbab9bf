// POST /hooks/{token}: an inbound webhook trigger's public URL (issue #10 §6). The raw body is
// kept as sent (it is what the caller signed), at most TRIGGER_BODY_MAX_BYTES (app.ts), JSON only;
// services/triggers checks the signature, maps the payload and sends.
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../errors";
import { errorResponse, jsonResponse, newRouter } from "../lib/hono";
import { receiveCall } from "../services/triggers";

const Accepted = z.object({ message_id: z.string(), duplicate: z.boolean().openapi({ description: "true when this repeats an earlier call (nothing new was sent)" }) }).openapi("TriggerAccepted");

export const hookRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/hooks/{token}",
    tags: ["Triggers"],
    summary: "Call a trigger: JSON in, a message out",
    description:
      "Signed triggers need `X-Herald-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" under the trigger's secret>`, within 5 minutes, each signature once. `Idempotency-Key` (or the trigger's idempotency_path) makes repeats answer the first call.",
    request: {
      params: z.object({ token: z.string().min(8).max(100).openapi({ param: { name: "token", in: "path" } }) }),
    },
    responses: {
      202: jsonResponse(Accepted, "Accepted: the message is on its way"),
      400: errorResponse("Not JSON"),
      401: errorResponse("signature_invalid or signature_expired"),
      404: errorResponse("No such trigger, or it is switched off"),
      409: errorResponse("signature_replayed, or idempotency_in_progress"),
      413: errorResponse("Body too large"),
      415: errorResponse("Not application/json"),
      422: errorResponse("payload_unmapped (with the field), or idempotency_conflict"),
      429: errorResponse("Too many calls for this trigger (Retry-After)"),
    },
  }),
  async (c) => {
    if (!(c.req.header("Content-Type") ?? "").toLowerCase().startsWith("application/json")) throw new ApiError("unsupported_media_type");
    const raw = await c.req.text(); // at most TRIGGER_BODY_MAX_BYTES (app.ts bodyLimit on /hooks/*)
    const r = await receiveCall(c.var.deps, c.req.param("token"), raw, c.req.raw.headers);
    return c.json(r.body as z.infer<typeof Accepted>, 202);
  },
);
