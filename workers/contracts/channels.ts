// The delivery channels Herald knows. One definition: the Worker (channels/index.ts maps each
// id to its implementation), the dashboard and the queue messages use these ids.
export const CHANNEL_IDS = ["web_push", "email", "sms", "whatsapp", "fcm"] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

export const CHANNEL_LABELS: Record<ChannelId, string> = {
  web_push: "Web push",
  email: "Email",
  sms: "SMS",
  whatsapp: "WhatsApp",
  fcm: "Mobile push (FCM)",
};
