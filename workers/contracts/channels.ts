// The delivery channels Herald knows. One definition: the Worker (channels/index.ts maps each
// id to its implementation), the dashboard and the queue messages use these ids.
// in_app (issue #9) is the user's inbox (durable-objects/user-inbox.ts), reached without a provider.
export const CHANNEL_IDS = ["web_push", "in_app", "email", "sms", "whatsapp", "fcm"] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

/** Every channel that interrupts (all but the in-app inbox): what digests and frequency caps
 *  cover unless they name their channels (contracts/preferences.ts). */
export const INTERRUPTING_CHANNELS: readonly ChannelId[] = CHANNEL_IDS.filter((c) => c !== "in_app");

export const CHANNEL_LABELS: Record<ChannelId, string> = {
  web_push: "Web push",
  in_app: "In-app inbox",
  email: "Email",
  sms: "SMS",
  whatsapp: "WhatsApp",
  fcm: "Mobile push (FCM)",
};

/** The channels as an end user reads them (the inbox widget's preferences tab): their words, not
 *  the platform's. */
export const CHANNEL_LABELS_FOR_USERS: Record<ChannelId, string> = {
  web_push: "Browser notifications",
  in_app: "This inbox",
  email: "Email",
  sms: "Text messages (SMS)",
  whatsapp: "WhatsApp",
  fcm: "Mobile app notifications",
};
