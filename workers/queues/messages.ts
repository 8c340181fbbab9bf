// Send-queue message bodies: a discriminated union with a version field. Bodies carry
// ids and ranges only — never keys, endpoints or secrets — and stay far below 128 KB.
export type SendMessage =
  | { v: 1; type: "plan"; siteId: string; notificationId: string }
  | { v: 1; type: "deliver"; siteId: string; notificationId: string; batch: number; fromId: string; toId: string };

export type DeliverMessage = Extract<SendMessage, { type: "deliver" }>;

export const sendMessage = {
  plan: (siteId: string, notificationId: string): SendMessage => ({ v: 1, type: "plan", siteId, notificationId }),
  deliver: (siteId: string, notificationId: string, batch: number, fromId: string, toId: string): SendMessage => ({
    v: 1,
    type: "deliver",
    siteId,
    notificationId,
    batch,
    fromId,
    toId,
  }),
};
