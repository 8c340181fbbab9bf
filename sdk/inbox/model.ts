// The inbox list model of the SDK's inbox bundle: the items the widget shows (not archived,
// newest first) and the exact counts, fed by HTTP pages and answers and by the WebSocket's
// events. Pure, no DOM, so it is tested in node (test/sdk/inbox-model.test.ts).
//
// Every source can repeat or reorder what another said (an HTTP answer and the socket's event
// for the same read, a page fetched while an item was deleted), so:
//   - items are keyed by id: an item is never listed twice;
//   - an item is replaced only by a copy with a higher or equal seq (seq is the user's change-log
//     position, bumped by every change), so an older copy never undoes a newer one;
//   - a deleted id is remembered, so a page fetched before the delete cannot bring it back;
//   - counts from the socket carry a seq and only newer ones apply.
import type { InboxCounts, InboxItem } from "../../workers/contracts/inbox";

export type Change = "created" | "updated" | "removed";

export interface InboxModel {
  items: InboxItem[];
  counts: InboxCounts;
  /** The highest change-log seq seen (sent with resume after a reconnect). */
  seq: number;
  /** The seq the counts were taken at. */
  countsSeq: number;
  /** Ids deleted on the server. */
  gone: Set<string>;
}

export const emptyModel = (): InboxModel => ({ items: [], counts: { total: 0, unread: 0, unseen: 0 }, seq: 0, countsSeq: -1, gone: new Set() });

const newerFirst = (a: InboxItem, b: InboxItem) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Applies one copy of an item. Archived items leave the list (the widget shows the inbox, not
 *  the archive). Answers what changed for the list, or null when nothing did (a repeat or an
 *  older copy). */
export function upsert(m: InboxModel, item: InboxItem): Change | null {
  if (m.gone.has(item.id)) return null;
  m.seq = Math.max(m.seq, item.seq);
  const i = m.items.findIndex((x) => x.id == item.id);
  const old = m.items[i];
  if (old && old.seq > item.seq) return null;
  if (item.archived_at != null) {
    if (!old) return null;
    m.items.splice(i, 1);
    return "removed";
  }
  if (old) {
    if (old.seq == item.seq) return null;
    m.items[i] = item;
    return "updated";
  }
  m.items.push(item);
  m.items.sort(newerFirst);
  return "created";
}

/** An item deleted on the server. */
export function remove(m: InboxModel, id: string, seq = 0): boolean {
  m.gone.add(id);
  m.seq = Math.max(m.seq, seq);
  const i = m.items.findIndex((x) => x.id == id);
  if (i < 0) return false;
  m.items.splice(i, 1);
  return true;
}

/** Counts as of `seq` (undefined: an HTTP answer without one — applied unless the socket has
 *  already reported newer counts). Answers whether they changed. */
export function setCounts(m: InboxModel, counts: InboxCounts, seq?: number): boolean {
  if (seq !== undefined) {
    if (seq < m.countsSeq) return false;
    m.countsSeq = seq;
    m.seq = Math.max(m.seq, seq);
  }
  const c = m.counts;
  if (c.total == counts.total && c.unread == counts.unread && c.unseen == counts.unseen) return false;
  m.counts = { total: counts.total, unread: counts.unread, unseen: counts.unseen };
  return true;
}

/** The first page, fetched anew (first load, a poll, a resume that was not complete): drops the
 *  items the list holds in the page's time range that the page lacks (archived or deleted
 *  meanwhile) — unless they changed after the request left (`since`: the model's seq then),
 *  which the page may predate. `hasMore` false: the page is the whole inbox. The page's items
 *  are then applied with upsert, one by one, by the caller (which tells listeners). */
export function pruneHead(m: InboxModel, page: InboxItem[], hasMore: boolean, since: number): void {
  const ids = new Set(page.map((x) => x.id));
  const oldest = page[page.length - 1];
  m.items = m.items.filter((x) => ids.has(x.id) || x.seq > since || (hasMore && (!oldest || newerFirst(x, oldest) > 0)));
}
