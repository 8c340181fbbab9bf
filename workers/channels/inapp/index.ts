// In-app: the item goes into the user's inbox (durable-objects/user-inbox.ts), one object per
// (site, user), without a provider. Every user of the site matching the target has an inbox.
// The item's id is the notification's id, so however often the queue delivers a batch the user
// has one item; an item already there is a success like a new one. A Durable Object that cannot
// be reached (overloaded, being reset, a network blip) is a retry with backoff, never a throw.
import type { InboxDelivery } from "../../../durable-objects/user-inbox";
import { INBOX_RETENTION_DAYS_DEFAULT } from "../../config";
import type { ChannelContent } from "../../contracts/message-content";
import type { Target } from "../../contracts/target";
import type { NotificationRow } from "../../db/queries/notifications";
import { siteSettings } from "../../db/queries/notifications";
import { inAppAudienceIds, pendingInAppUsers } from "../../db/queries/recipients";
import { backoffDelayS } from "../../lib/backoff";
import { deliverItem } from "../../services/inbox";
import { contentSource, type ContentSource, type RecipientUser } from "../../services/sending/content";
import type { Channel, Recipient, SendResult } from "../types";

export interface InAppRecipient extends Recipient {
  externalId: string;
  user: RecipientUser;
}

interface Prepared {
  env: Env;
  notification: NotificationRow;
  content: ContentSource<"in_app">;
  retentionDays: number;
}

/** The inbox item a rendered in_app content makes for this notification. */
export function inboxItem(n: NotificationRow, content: ChannelContent["in_app"]): InboxDelivery {
  return {
    id: n.id,
    title: content.title,
    body: content.body ?? null,
    url: content.url ?? null,
    icon: content.icon ?? null,
    category: n.category ?? null,
    tags: content.tags ?? [],
    data: n.data ?? null,
    created_at: n.createdAt,
  };
}

export const inApp: Channel<InAppRecipient, Prepared> = {
  id: "in_app",
  audience: (deps, siteId, target, afterId, limit) => inAppAudienceIds(deps.db, siteId, target as Target, afterId, limit),

  async pendingRecipients(deps, job, n) {
    const rows = await pendingInAppUsers(deps.db, job.siteId, n.target as unknown as Target, job.notificationId, job.fromId, job.toId);
    return rows.map((r) => ({ id: r.id, externalId: r.externalId, user: { ...r } }));
  },

  async prepare(deps, job, notification) {
    const [content, settings] = await Promise.all([contentSource(deps, notification, "in_app"), siteSettings(deps.db, job.siteId)]);
    return { env: deps.env, notification, content, retentionDays: settings?.inbox_retention_days ?? INBOX_RETENTION_DAYS_DEFAULT };
  },

  async send(p, r, attempt): Promise<SendResult> {
    const rendered = await p.content.render(r.user);
    if (!rendered.ok) return { outcome: { kind: "failed", reason: rendered.reason }, httpStatus: null };
    try {
      await deliverItem(p.env, p.notification.siteId, r.externalId, inboxItem(p.notification, rendered.content), p.retentionDays);
      return { outcome: { kind: "sent" }, httpStatus: null };
    } catch (err) {
      console.error("in_app deliver failed", p.notification.id, err);
      return { outcome: { kind: "retry", reason: "inbox_unavailable", delayS: backoffDelayS(attempt) }, httpStatus: null };
    }
  },

  // An inbox never goes away while its user exists: nothing to prune, nothing the site set up wrong.
  prune: async () => undefined,
  reportConfigProblem: async () => undefined,
};
