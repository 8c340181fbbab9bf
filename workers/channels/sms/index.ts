// SMS: one text per site user with a usable phone number (E.164), through the site's SMS
// provider (Twilio). An invalid, landline or opted-out number marks the user's SMS address
// unreachable until the number changes.
import { markUsersUnreachable, pendingUsers, userAudienceIds } from "../../db/queries/recipients";
import type { Target } from "../../db/queries/targeting";
import { asRecipient } from "../email";
import { providerChannel } from "../provider-channel";

export const sms = providerChannel({
  id: "sms",
  audience: (deps, siteId, target, afterId, limit) => userAudienceIds(deps.db, siteId, "sms", target, afterId, limit),
  pendingRecipients: async (deps, job, n) =>
    (await pendingUsers(deps.db, job.siteId, "sms", n.target as unknown as Target, job.notificationId, job.fromId, job.toId)).map(asRecipient),
  message: (content, r) => ({ to: r.user.phone!, text: content.text }),
  prune: (deps, siteId, ids, now) => markUsersUnreachable(deps.db, siteId, "sms", ids, { reason: "invalid_address", at: now }).then(() => undefined),
});
