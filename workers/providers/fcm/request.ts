// One FCM HTTP v1 send (https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send):
//
//   POST https://fcm.googleapis.com/v1/projects/{project_id}/messages:send
//   Authorization: Bearer <access token (token.ts)>
//   { "message": { "token", "notification": { title, body?, image? }, "data"?: { …, url? },
//                  "webpush"?: { "fcm_options": { "link": url } } } }
//   → 200 { "name": "projects/{project_id}/messages/{id}" }
//
// The url travels in data (the app opens it itself) and, when it is https, as the web link FCM
// opens on click for web clients (webpush.fcm_options.link must be https). Nothing else is
// added: Android and iOS show notification.title/body/image as FCM documents.
import type { FcmMessage } from "../types";

export const FCM_API_ORIGIN = "https://fcm.googleapis.com";

export interface FcmMessageBody {
  message: {
    token: string;
    notification: { title: string; body?: string; image?: string };
    data?: Record<string, string>;
    webpush?: { fcm_options: { link: string } };
  };
}

export function fcmMessageBody(m: FcmMessage): FcmMessageBody {
  const notification: FcmMessageBody["message"]["notification"] = { title: m.title };
  if (m.body) notification.body = m.body;
  if (m.image) notification.image = m.image;
  const message: FcmMessageBody["message"] = { token: m.token, notification };
  const data = { ...m.data, ...(m.url ? { url: m.url } : {}) };
  if (Object.keys(data).length) message.data = data;
  if (m.url && /^https:\/\//i.test(m.url)) message.webpush = { fcm_options: { link: m.url } };
  return { message };
}

export function buildFcmRequest(origin: string, projectId: string, accessToken: string, m: FcmMessage) {
  return {
    url: `${origin}/v1/projects/${encodeURIComponent(projectId)}/messages:send`,
    init: {
      method: "POST" as const,
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json; charset=utf-8", accept: "application/json" },
      body: JSON.stringify(fcmMessageBody(m)),
    },
  };
}
