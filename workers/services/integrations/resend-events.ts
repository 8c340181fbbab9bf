// Resend webhook posts for one integration (routes/callbacks/resend.ts): verified with the
// integration's own signing secret (sealed in its credentials), then the one event a post
// carries moves the delivery Resend's email id names (services/sending/status.ts). Safe to
// receive twice — Svix retries until it gets a 2xx: a repeated event sets the same status.
// Answers never say more than "no" to a bad post, and the secret never leaves this function.
import { ApiError } from "../../errors";
import type { ResendCredentials } from "../../providers/resend/credentials";
import { parseResendEvent, verifyResendWebhook } from "../../providers/resend/webhook";
import type { Deps } from "../deps";
import { recordProviderStatus } from "../sending/status";
import { integrationForCallback } from "./index";

export interface SvixHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export async function receiveResendEvent(deps: Deps, integrationId: string, headers: SvixHeaders, body: Uint8Array): Promise<{ recorded: boolean }> {
  if (!headers.id || !headers.timestamp || !headers.signature) {
    throw new ApiError("unauthorized", "Resend webhook posts must be signed: svix-id, svix-timestamp and svix-signature are required.");
  }
  const integration = await integrationForCallback(deps, "resend", integrationId);
  if (!integration) throw new ApiError("not_found", "Not found.");
  const secret = (integration.credentials as ResendCredentials).webhook_secret;
  if (!secret) {
    throw new ApiError("forbidden", "This integration has no webhook signing secret: add the whsec_… secret Resend shows for the webhook to the integration's credentials.");
  }
  const text = new TextDecoder().decode(body);
  const verdict = verifyResendWebhook({ secret, id: headers.id, timestamp: headers.timestamp, signature: headers.signature, body: text });
  if (verdict === "stale") throw new ApiError("forbidden", "The signature's timestamp is more than 5 minutes away from now.");
  if (verdict !== "ok") throw new ApiError("forbidden", "The signature does not match this integration's webhook signing secret.");

  const parsed = parseResendEvent(text);
  if ("error" in parsed) throw new ApiError("bad_request", parsed.error, parsed.field ? [{ path: parsed.field, message: parsed.error }] : undefined);
  if (!parsed.report) return { recorded: false };
  const recorded = await recordProviderStatus(deps, { siteId: integration.siteId, integrationId, channel: "email", ...parsed.report });
  return { recorded };
}
