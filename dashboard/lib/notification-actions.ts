// What the signed-in user may do with a notification in its current state: the one rule the
// list and the detail page both follow, the API's (workers/services/notifications.ts):
//   never started sending        delete — a draft: whoever writes drafts; a scheduled one, or
//                                one cancelled before it started: only those who may send
//   completed, cancelled, failed archive (left out of the list, statistics kept), unless it
//                                can be deleted; archived: unarchive
//   draft                        edit, send (those who may send)
//   scheduled                    cancel, or move back to drafts: only those who may send (it
//                                goes out by itself, so a member may not change it)
import { can } from "../state/sites";
import type { NotificationRecord } from "../types";

export interface NotificationActions {
  edit: boolean; send: boolean; cancel: boolean; unschedule: boolean;
  delete: boolean; archive: boolean; unarchive: boolean;
}

const FINISHED = new Set(["completed", "cancelled", "failed"]);
const NEVER_SENT = new Set(["draft", "scheduled", "cancelled"]);

export function notificationActions(n: NotificationRecord): NotificationActions {
  const write = can("notifications:write");
  const send = can("notifications:send");
  const deletable = n.started_at == null && NEVER_SENT.has(n.status) && (n.status === "draft" ? write : send && write);
  return {
    edit: n.status === "draft" && write,
    send: n.status === "draft" && send,
    cancel: n.status === "scheduled" && send,
    unschedule: n.status === "scheduled" && send && write,
    delete: deletable,
    archive: !n.archived_at && FINISHED.has(n.status) && !deletable && write,
    unarchive: !!n.archived_at && write,
  };
}

/** The delete confirmation's title and sentence, and the toast after it, by status. */
export function deleteWording(n: NotificationRecord): { title: string; text: string; done: string } {
  if (n.status === "draft") return { title: "Delete this draft?", text: "will be removed.", done: "Draft deleted" };
  if (n.status === "scheduled") return { title: "Delete this scheduled notification?", text: "will not be sent, and it will be removed.", done: "Scheduled notification deleted" };
  return { title: "Delete this notification?", text: "was never sent; it will be removed.", done: "Notification deleted" };
}
