// Send-queue message bodies: a discriminated union with a version field. Bodies carry
// ids and ranges only — never keys, endpoints or secrets — and stay far below 128 KB.
// Consumers read every version still possibly in flight (readSendMessage) and write only
// the newest.
import { QUEUE_SEND_BATCH_MAX } from "../config";
import { CHANNEL_IDS, type ChannelId } from "../contracts/channels";

export type SendMessage =
  | { v: 2; type: "plan"; siteId: string; notificationId: string }
  | {
      v: 2;
      type: "deliver";
      /** Which channel delivers this batch (channels/index.ts). */
      channel: ChannelId;
      siteId: string;
      notificationId: string;
      batch: number;
      fromId: string;
      toId: string;
      /** Random per enqueue: the batch lease's owner. Retries of this message (and its dead
       *  letter) carry the same value; a duplicate enqueued by a recovery carries another. */
      lease: string;
    };

/** Version 1 (web push only, before channels): may still sit in a queue after a deploy. */
type SendMessageV1 =
  | { v: 1; type: "plan"; siteId: string; notificationId: string }
  | { v: 1; type: "deliver"; siteId: string; notificationId: string; batch: number; fromId: string; toId: string; lease?: string };

export type QueuedSendMessage = SendMessage | SendMessageV1;
export type DeliverMessage = Extract<SendMessage, { type: "deliver" }>;

export const sendMessage = {
  plan: (siteId: string, notificationId: string): SendMessage => ({ v: 2, type: "plan", siteId, notificationId }),
  /** `lease`: the owner key a recovery already handed the batch to; a fresh one otherwise. */
  deliver: (channel: ChannelId, siteId: string, notificationId: string, batch: number, fromId: string, toId: string, lease: string = crypto.randomUUID()): DeliverMessage => ({
    v: 2,
    type: "deliver",
    channel,
    siteId,
    notificationId,
    batch,
    fromId,
    toId,
    lease,
  }),
};

/** Enqueues any number of messages, in slices of what one sendBatch call accepts. */
export async function enqueueSendMessages(queue: Env["SEND_QUEUE"], messages: SendMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += QUEUE_SEND_BATCH_MAX) {
    await queue.sendBatch(messages.slice(i, i + QUEUE_SEND_BATCH_MAX).map((body) => ({ body })));
  }
}

/** The message in the current shape, or null when this code cannot read it (a newer version,
 *  an unknown channel, garbage). `messageId` stands in for a v1 message's missing lease key. */
export function readSendMessage(body: unknown, messageId: string): SendMessage | null {
  const m = body as Partial<QueuedSendMessage> | null;
  if (!m || typeof m !== "object" || (m.type !== "plan" && m.type !== "deliver")) return null;
  if (m.v === 2) {
    if (m.type === "deliver" && !(CHANNEL_IDS as readonly string[]).includes((m as DeliverMessage).channel)) return null;
    return m as SendMessage;
  }
  if (m.v !== 1) return null;
  const v1 = m as SendMessageV1;
  if (v1.type === "plan") return { ...v1, v: 2 };
  return { ...v1, v: 2, channel: "web_push", lease: v1.lease ?? messageId };
}
