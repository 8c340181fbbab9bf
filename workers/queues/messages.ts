// Send-queue message bodies: a discriminated union with a version field. Bodies carry
// ids and ranges only — never keys, endpoints or secrets — and stay far below 128 KB.
export type SendMessage =
  | { v: 1; type: "plan"; siteId: string; notificationId: string }
  | {
      v: 1;
      type: "deliver";
      siteId: string;
      notificationId: string;
      batch: number;
      fromId: string;
      toId: string;
      /** Random per enqueue: the batch lease's owner. Retries of this message (and its dead
       *  letter) carry the same value; a duplicate enqueued by a recovery carries another.
       *  Absent in messages enqueued before it existed: the queue message id stands in. */
      lease?: string;
    };

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
    lease: crypto.randomUUID(),
  }),
};
