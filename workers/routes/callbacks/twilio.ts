// POST /api/callbacks/twilio/{integrationId}: Twilio's status callbacks for one integration (the
// StatusCallback URL providers/twilio sets on each message). Public: X-Twilio-Signature,
// checked with the integration's own auth token, is the only credential. Twilio signs the URL
// it called plus the form parameters, so the URL is rebuilt the way services/integrations built
// it (PUBLIC_URL, else this request's origin) with this request's path and query; the request's
// own URL is tried too, for a deployment reached under another name than PUBLIC_URL.
// delivered / undelivered / failed move the delivery (services/sending/status.ts); queued and
// sent need nothing. Safe to receive twice: a repeated callback sets the same values.
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../errors";
import { errorResponse, jsonResponse, newRouter, pathId } from "../../lib/hono";
import type { TwilioCredentials, TwilioSettings } from "../../providers/twilio/credentials";
import { verifyTwilioSignature } from "../../providers/twilio/signature";
import { twilioStatusUpdate } from "../../providers/twilio/status";
import { integrationForCallback } from "../../services/integrations";
import { recordProviderStatus } from "../../services/sending/status";

const SIGNATURE_HEADER = "X-Twilio-Signature";

export const twilioCallbackRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/twilio/{integrationId}",
    tags: ["Provider callbacks"],
    summary: "Twilio status callback (signed, form-encoded): delivered, undelivered and failed move the message's delivery",
    description:
      "Twilio posts application/x-www-form-urlencoded parameters (MessageSid, MessageStatus, ErrorCode, AccountSid, …) signed with X-Twilio-Signature under the account's auth token. The integration needs its auth_token to verify them.",
    request: { params: z.object({ integrationId: pathId("integrationId", "int_01jd0000000000000000000000") }) },
    responses: {
      200: jsonResponse(z.object({ recorded: z.boolean() }), "Received: whether a delivery was updated"),
      400: errorResponse("Not a form-encoded body"),
      401: errorResponse("Unsigned"),
      403: errorResponse("Bad signature, or the integration has no auth token to verify it"),
      404: errorResponse("No such integration"),
      413: errorResponse("Body too large"),
    },
  }),
  async (c) => {
    const signature = c.req.header(SIGNATURE_HEADER);
    if (!signature) throw new ApiError("unauthorized", "Twilio status callbacks must be signed: X-Twilio-Signature is missing.");
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded") {
      throw new ApiError("bad_request", "Twilio status callbacks are form-encoded: Content-Type must be application/x-www-form-urlencoded.");
    }
    const { deps } = c.var;
    const integration = await integrationForCallback(deps, "twilio", c.req.valid("param").integrationId);
    if (!integration) throw new ApiError("not_found", "Not found.");
    const credentials = integration.credentials as TwilioCredentials;
    const settings = integration.settings as TwilioSettings;
    if (!credentials.auth_token) {
      throw new ApiError("forbidden", "This integration has no auth token to verify Twilio's signature with: add the account's auth token to its credentials.");
    }

    const params = [...new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()))];
    const requested = new URL(c.req.url);
    const base = (deps.env.PUBLIC_URL || requested.origin).replace(/\/+$/, "");
    const candidates = [...new Set([`${base}${requested.pathname}${requested.search}`, requested.href])];
    let valid = false;
    for (const url of candidates) if ((valid = await verifyTwilioSignature(credentials.auth_token, url, params, signature))) break;
    if (!valid) throw new ApiError("forbidden", "The signature does not match this integration's auth token.");

    const update = twilioStatusUpdate(new URLSearchParams(params));
    // Signed with this account's token but about another account's message: nothing of ours.
    if (!update || update.accountSid !== settings.account_sid) return c.json({ recorded: false }, 200);
    const { accountSid: _, ...report } = update;
    const recorded = await recordProviderStatus(deps, { siteId: integration.siteId, integrationId: integration.integrationId, channel: integration.channel, ...report });
    return c.json({ recorded }, 200);
  },
);
