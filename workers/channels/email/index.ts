// Email: one message per site user with a usable address, through the site's email provider
// (SendGrid, Resend). A hard bounce or an address the provider calls invalid marks the
// user's email unreachable (site_users.unreachable) until it changes.
import { markUsersUnreachable, pendingUsers, userAudienceIds, type UserRecipientRow } from "../../db/queries/recipients";
import type { Target } from "../../db/queries/targeting";
import { providerChannel } from "../provider-channel";

export const email = providerChannel({
  id: "email",
  audience: (deps, siteId, target, afterId, limit) => userAudienceIds(deps.db, siteId, "email", target, afterId, limit),
  pendingRecipients: async (deps, job, n) =>
    (await pendingUsers(deps.db, job.siteId, "email", n.target as unknown as Target, job.notificationId, job.fromId, job.toId)).map(asRecipient),
  message: (content, r) => ({ to: r.user.email!, subject: content.subject, html: content.html, text: content.text }),
  prune: (deps, siteId, ids, now) => markUsersUnreachable(deps.db, siteId, "email", ids, { reason: "invalid_address", at: now }).then(() => undefined),
});

export function asRecipient(row: UserRecipientRow) {
  return { id: row.id, user: { ...row } };
}
