// The in-app inbox (issue #9): what an inbox item is, the counts beside it, the actions on it and
// the WebSocket protocol. One definition: the user's Durable Object (durable-objects/user-inbox.ts)
// stores and answers these shapes, the end-user API (/api/inbox…) and the server API
// (…/users/{externalId}/inbox…) validate and document them, and the SDK's inbox bundle
// (sdk/inbox/) imports the types.
import { z } from "@hono/zod-openapi";

/** An item's id: the id of the notification (message, campaign, broadcast, digest) it came from.
 *  One notification is one item per user however many times the queue delivers it, and the same
 *  id ties the inbox item to the push notification of that send (§4: one read state). */
export const InboxItemId = z.string().regex(/^ntf_[0-9A-Za-z]{1,60}$/, "Must be an inbox item id (ntf_…).").openapi({ example: "ntf_01JD7X3M4Q8T2W6Y9B1C5E7G0H" });

export const InboxItemSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    url: z.string().nullable(),
    icon: z.string().nullable(),
    /** The site's category key (contracts/preferences.ts), or null. */
    category: z.string().nullable(),
    tags: z.array(z.string()),
    data: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.number().int(),
    seen_at: z.number().int().nullable(),
    read_at: z.number().int().nullable(),
    archived_at: z.number().int().nullable(),
    /** Position in the user's change log: bumped by every change to the item (see InboxEvent). */
    seq: z.number().int(),
  })
  .openapi("InboxItem");
export type InboxItem = z.infer<typeof InboxItemSchema>;

/** Exact counts, kept beside the items in the same object (no drift): over items not archived. */
export const InboxCountsSchema = z
  .object({ total: z.number().int(), unread: z.number().int(), unseen: z.number().int() })
  .openapi("InboxCounts");
export type InboxCounts = z.infer<typeof InboxCountsSchema>;

export const INBOX_ACTIONS = ["read", "unread", "seen", "archive", "unarchive", "delete"] as const;
export type InboxAction = (typeof INBOX_ACTIONS)[number];

/** At most this many ids per batch request. */
export const INBOX_BATCH_MAX = 100;
export const InboxBatchRequest = z
  .strictObject({ ids: z.array(InboxItemId).min(1).max(INBOX_BATCH_MAX), action: z.enum(INBOX_ACTIONS) })
  .openapi("InboxBatchRequest");

export const InboxReadAllRequest = z
  .strictObject({ category: z.string().min(1).max(64).optional() })
  .openapi("InboxReadAllRequest");

/** GET /api/inbox (and the server's …/inbox): newest first, one page per cursor. */
export const InboxListQuery = z.object({
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ description: "Items per page (default 20)" }),
  category: z.string().min(1).max(64).optional(),
  tag: z.string().min(1).max(64).optional(),
  unread: z.enum(["true", "false"]).optional().openapi({ description: "true: unread only; false: read only" }),
  archived: z.enum(["true", "false"]).optional().openapi({ description: "true: archived only; default: not archived" }),
});

export const InboxPageSchema = z
  .object({ items: z.array(InboxItemSchema), next_cursor: z.string().nullable(), counts: InboxCountsSchema })
  .openapi("InboxPage");
export type InboxPage = z.infer<typeof InboxPageSchema>;

/** What an item action answers: the item after it (null when deleted or not there) and the counts. */
export const InboxChangeSchema = z
  .object({ item: InboxItemSchema.nullable(), counts: InboxCountsSchema })
  .openapi("InboxChange");

// ─── WebSocket: GET /api/inbox/ws ─────────────────────────────────────────────
// Server → client. Every event that changes the inbox carries `seq`, the user's change-log
// position after it; a client keeps the highest it saw and, on reconnect, sends
// { type: "resume", seq } to get every item changed since (item.updated / item.deleted) and
// then fresh counts. A first connection sends { type: "resume", seq: 0 } or nothing.
export type InboxServerEvent =
  | { type: "item.created"; item: InboxItem; counts: InboxCounts; seq: number }
  | { type: "item.updated"; item: InboxItem; counts: InboxCounts; seq: number }
  | { type: "item.deleted"; id: string; counts: InboxCounts; seq: number }
  | { type: "counts"; counts: InboxCounts; seq: number }
  /** The answer to resume: the changes since the client's seq (a window of them when far behind:
   *  `complete: false` says reload the list instead). */
  | { type: "resumed"; changes: Array<{ item: InboxItem } | { deleted: string; seq: number }>; counts: InboxCounts; seq: number; complete: boolean }
  /** The answer to { type: "ping" } (sent by the runtime without waking the object). */
  | { type: "pong" };

/** Client → server. */
export type InboxClientEvent = { type: "resume"; seq: number } | { type: "ping" };

/** Presence, as GET …/users/{externalId} reports it. */
export const PresenceSchema = z
  .object({
    online: z.boolean().openapi({ description: "Whether a client of this user is connected to the inbox now" }),
    connections: z.number().int(),
    last_seen_at: z.number().int().nullable().openapi({ description: "When a client last connected or was last connected" }),
  })
  .openapi("Presence");
export type Presence = z.infer<typeof PresenceSchema>;
