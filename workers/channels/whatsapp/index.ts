// WhatsApp: one message per site user with a phone number, through the site's WhatsApp
// provider (Twilio). Free text only reaches users inside WhatsApp's 24 h window; outside it the
// content must name an approved template (content_sid), or the provider's refusal is recorded.
import { markUsersUnreachable, pendingUsers, userAudienceIds } from "../../db/queries/recipients";
import type { Target } from "../../db/queries/targeting";
import { asRecipient } from "../email";
import { providerChannel } from "../provider-channel";

export const whatsapp = providerChannel({
  id: "whatsapp",
  audience: (deps, siteId, target, afterId, limit) => userAudienceIds(deps.db, siteId, "whatsapp", target, afterId, limit),
  pendingRecipients: async (deps, job, n) =>
    (await pendingUsers(deps.db, job.siteId, "whatsapp", n.target as unknown as Target, job.notificationId, job.fromId, job.toId)).map(asRecipient),
  message: (content, r) => ({ to: r.user.phone!, text: content.text, contentSid: content.content_sid, contentVariables: content.content_variables }),
  prune: (deps, siteId, ids, now) => markUsersUnreachable(deps.db, siteId, "whatsapp", ids, { reason: "invalid_address", at: now }).then(() => undefined),
});
