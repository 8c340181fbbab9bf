// What a subscriber's browser receives: the JSON the service worker shows. Built
// once per notification; each subscriber's copy only appends its event token.
import { EVENT_TOKEN_MAX_CHARS, PUSH_MAX_BODY_BYTES } from "../../config";
import { ApiError } from "../../errors";
import { encryptedLength } from "../../channels/webpush/encrypt";
import type { NotificationContent, PushPayload } from "../../contracts/content";

export type { NotificationContent };

export interface PayloadDefaults {
  icon: string | null;
}

/** Appends utm_* parameters to a URL (existing utm_* values are replaced). */
export function withUtm(url: string | undefined, utm: NotificationContent["utm"]): string | undefined {
  if (!url || !utm) return url;
  const u = new URL(url);
  for (const [k, v] of Object.entries(utm)) if (v) u.searchParams.set(`utm_${k}`, v);
  return u.toString();
}

/** The payload JSON without its final `}` — append `,"token":"…"}` per subscriber. */
export function payloadPrefix(notificationId: string, c: NotificationContent, defaults: PayloadDefaults): string {
  const payload: PushPayload = {
    id: notificationId,
    title: c.title,
    body: c.body,
    icon: c.icon ?? defaults.icon ?? undefined,
    image: c.image,
    badge: c.badge,
    url: withUtm(c.url, c.utm),
    actions: c.actions?.map((a) => ({ action: a.action, title: a.title, url: withUtm(a.url, c.utm) })),
    tag: c.tag,
    renotify: c.renotify,
    require_interaction: c.require_interaction,
    data: c.data,
  };
  return JSON.stringify(payload).slice(0, -1);
}

export const payloadFor = (prefix: string, token: string) => `${prefix},"token":${JSON.stringify(token)}}`;

/** Rejects content whose encrypted push body would exceed 4096 bytes (RFC 8291 §4). */
export function assertPayloadFits(notificationId: string, c: NotificationContent, defaults: PayloadDefaults): void {
  const json = payloadFor(payloadPrefix(notificationId, c, defaults), "x".repeat(EVENT_TOKEN_MAX_CHARS));
  const size = encryptedLength(new TextEncoder().encode(json).length);
  if (size > PUSH_MAX_BODY_BYTES) {
    throw new ApiError(
      "push_payload_too_large",
      `The encrypted push message would be ${size} bytes; push services accept at most ${PUSH_MAX_BODY_BYTES}. Shorten the title, body, URLs or data.`,
      [{ path: "body", message: `Encrypted size ${size} B exceeds ${PUSH_MAX_BODY_BYTES} B.` }],
    );
  }
}
