// The in-app inbox as the rest of the Worker sees it (issue #9): which object holds a user's
// inbox, list pages with their cursor, item actions, read-all, presence, erasure — for the
// end-user API (/api/inbox…, the user proven by their signed external id), the server API
// (…/users/{externalId}/inbox…, the user must exist) and the in_app channel's deliver.
// The items themselves live in the user's Durable Object (durable-objects/user-inbox.ts).
import type { InboxDelivery, InboxPosition, UserInbox } from "../../../durable-objects/user-inbox";
import { INBOX_PAGE_DEFAULT, INBOX_RETENTION_DAYS_DEFAULT } from "../../config";
import type { InboxAction, InboxCounts, InboxItem, InboxPage, Presence } from "../../contracts/inbox";
import { findUser } from "../../db/queries/site-users";
import { ApiError, invalidField } from "../../errors";
import type { Deps } from "../deps";

/** One object per (site, user): the site id first, so two sites' users never share one. */
export const inboxName = (siteId: string, externalId: string) => `${siteId}:${externalId}`;

/** The object's RPC methods as declared: the stub's inferred types turn the items' free-form
 *  `data` (Record<string, unknown>) into never, although it is plain JSON and crosses fine. */
type InboxStub = Pick<UserInbox, "deliver" | "list" | "get" | "counts" | "recount" | "act" | "readAll" | "resume" | "presence" | "erase" | "dump"> & {
  fetch(request: Request): Promise<Response>;
};

export function userInbox(env: Env, siteId: string, externalId: string): InboxStub {
  return env.USER_INBOX.get(env.USER_INBOX.idFromName(inboxName(siteId, externalId))) as unknown as InboxStub;
}

// ─── Cursor: the last item of the page, "<created_at>.<id>" ──────────────────

const CURSOR = /^(\d{1,16})\.(ntf_[0-9A-Za-z]{1,60})$/;
export const encodeCursor = (p: InboxPosition) => `${p.created_at}.${p.id}`;
export function decodeCursor(cursor: string): InboxPosition {
  const m = CURSOR.exec(cursor);
  if (!m) throw invalidField("cursor", "Must be the next_cursor of a previous page.");
  return { created_at: Number(m[1]), id: m[2]! };
}

export interface ListQuery {
  cursor?: string;
  limit?: number;
  category?: string;
  tag?: string;
  unread?: "true" | "false";
  archived?: "true" | "false";
}

export async function listInbox(deps: Deps, siteId: string, externalId: string, q: ListQuery): Promise<InboxPage> {
  const page = await userInbox(deps.env, siteId, externalId).list({
    after: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
    limit: q.limit ?? INBOX_PAGE_DEFAULT,
    category: q.category,
    tag: q.tag,
    unread: q.unread === undefined ? undefined : q.unread === "true",
    archived: q.archived === "true",
  });
  return { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null, counts: page.counts };
}

export const inboxCounts = (deps: Deps, siteId: string, externalId: string): Promise<InboxCounts> => userInbox(deps.env, siteId, externalId).counts();

/** One action on one item: the item after it (null once deleted) and the counts; 404 when the
 *  user has no such item. */
export async function actOnItem(deps: Deps, siteId: string, externalId: string, itemId: string, action: InboxAction) {
  const r = await userInbox(deps.env, siteId, externalId).act([itemId], action, deps.now());
  if (!r.items[0]?.found) throw new ApiError("not_found", "No such item in this inbox.", [{ path: "itemId", message: "Not found." }]);
  return { item: r.items[0].item, counts: r.counts };
}

/** One action on up to 100 items: those found (after the action), the ids not found, the counts. */
export async function actOnItems(deps: Deps, siteId: string, externalId: string, ids: string[], action: InboxAction) {
  const r = await userInbox(deps.env, siteId, externalId).act(ids, action, deps.now());
  return {
    items: r.items.filter((i) => i.found && i.item).map((i) => i.item as InboxItem),
    not_found: r.items.filter((i) => !i.found).map((i) => i.id),
    counts: r.counts,
  };
}

export const readAll = (deps: Deps, siteId: string, externalId: string, category?: string) =>
  userInbox(deps.env, siteId, externalId).readAll(category, deps.now());

export const presence = (deps: Deps, siteId: string, externalId: string): Promise<Presence> => userInbox(deps.env, siteId, externalId).presence();

/** The server API reaches only users the site has: 404 otherwise (and for another site's). */
export async function assertUser(deps: Deps, siteId: string, externalId: string): Promise<void> {
  if (!(await findUser(deps.db, siteId, externalId))) throw new ApiError("not_found", "User not found.");
}

/** Writes one item into the user's inbox (the in_app channel); exactly once per id. */
export const deliverItem = (env: Env, siteId: string, externalId: string, item: InboxDelivery, retentionDays = INBOX_RETENTION_DAYS_DEFAULT) =>
  userInbox(env, siteId, externalId).deliver(item, retentionDays);

/** Marks the item of a notification read in the user's inbox (a push click, §4): no-op when the
 *  message had no in_app part (no such item) or it is read already. */
export async function markReadFromPush(env: Env, siteId: string, externalId: string, notificationId: string, now: number) {
  await userInbox(env, siteId, externalId).act([notificationId], "read", now);
}

/** Every item of the user's inbox, newest first (GDPR export). */
export const inboxItems = (deps: Deps, siteId: string, externalId: string): Promise<InboxItem[]> => userInbox(deps.env, siteId, externalId).dump();

/** GDPR erasure: the user's inbox goes with them. */
export const eraseInbox = (env: Env, siteId: string, externalId: string) => userInbox(env, siteId, externalId).erase();

/** Forwards an authenticated WebSocket upgrade to the user's object. */
export async function connect(env: Env, siteId: string, externalId: string, request: Request): Promise<Response> {
  const upgraded = await userInbox(env, siteId, externalId).fetch(request);
  // Re-wrap: a Durable Object's response headers are immutable, and our middleware adds security headers.
  return new Response(null, { status: upgraded.status, webSocket: upgraded.webSocket });
}
