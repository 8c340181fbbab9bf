// Firebase Cloud Messaging HTTP v1: mobile push to Android, and to iOS apps through FCM
// (Workers cannot reach APNs directly: api.push.apple.com needs HTTP/2, which Workers'
// outbound fetch does not speak). token.ts gets and caches the OAuth token, request.ts builds
// the send, outcome.ts classifies the answer. The private key only ever signs the assertion;
// the access token only ever reaches the Authorization header.
import type { FcmMessage, Provider } from "../types";
import { callProvider } from "../http";
import { type FcmCredentials, type FcmSettings, fcmCredentialsSchema, fcmHint, fcmSettingsSchema } from "./credentials";
import { classifyFcmResult, type FcmSendResult } from "./outcome";
import { buildFcmRequest, FCM_API_ORIGIN } from "./request";
import { dropFcmToken, fcmAccessToken } from "./token";

export const fcm: Provider<FcmCredentials, FcmSettings> = {
  id: "fcm",
  channels: ["fcm"],
  credentialsSchema: fcmCredentialsSchema,
  settingsSchema: fcmSettingsSchema,
  hint: fcmHint,

  async send(ctx, channel, message, attempt): Promise<FcmSendResult> {
    if (channel !== "fcm") return { outcome: { kind: "failed", reason: "channel_not_configured" }, httpStatus: null };
    const origin = ctx.origin(FCM_API_ORIGIN);
    const once = async (): Promise<{ token: string | null; result: FcmSendResult }> => {
      const token = await fcmAccessToken(ctx, attempt);
      if (!token.ok) return { token: null, result: token.result };
      const { url, init } = buildFcmRequest(origin, ctx.credentials.service_account.project_id, token.token, message as FcmMessage);
      return { token: token.token, result: classifyFcmResult(await callProvider(ctx.fetch, url, init), attempt, { now: ctx.now }) };
    };
    const first = await once();
    // A 401 with a cached token: it may have been revoked early. Forget it and try once more
    // with a fresh one; a second 401 is the service account's fault.
    if (first.token && first.result.httpStatus === 401 && first.result.providerCode !== "THIRD_PARTY_AUTH_ERROR") {
      await dropFcmToken(ctx.credentials.service_account, first.token);
      return (await once()).result;
    }
    return first.result;
  },
};
