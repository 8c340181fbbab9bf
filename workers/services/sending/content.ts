// What a send says to one recipient on one channel: the inline content stored with the
// notification (the same for everyone), or its template rendered for the recipient
// (services/templates). Channels ask for a ContentSource once per batch and render per recipient.
import type { FailureReason } from "../../contracts/failure-reasons";
import type { ChannelContent, ContentChannel } from "../../contracts/message-content";
import type { NotificationRow } from "../../db/queries/notifications";
import { siteSettings } from "../../db/queries/notifications";
import type { Deps } from "../deps";
import { loadTemplateForSend, renderForRecipient } from "../templates";

/** Who a message is rendered for: the site user behind the address (null fields when the
 *  recipient is a push subscription without a known user). */
export interface RecipientUser {
  id: string | null;
  externalId: string | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  timezone: string | null;
  attributes: Record<string, unknown>;
}

export type Rendered<C extends ContentChannel> = { ok: true; content: ChannelContent[C] } | { ok: false; reason: FailureReason; message: string };

export interface ContentSource<C extends ContentChannel> {
  /** True when every recipient gets the same content (web push then builds one payload per batch). */
  readonly static: boolean;
  render(user: RecipientUser | null): Promise<Rendered<C>>;
}

/** The notification's content for one channel, as stored when the send was created. */
function inlineContent<C extends ContentChannel>(n: NotificationRow, channel: C): ChannelContent[C] | undefined {
  if (channel === "web_push") return Object.keys(n.content).length ? (n.content as ChannelContent[C]) : undefined;
  return (n.channelContent as Partial<ChannelContent> | null)?.[channel] as ChannelContent[C] | undefined;
}

export async function contentSource<C extends ContentChannel>(deps: Deps, n: NotificationRow, channel: C): Promise<ContentSource<C>> {
  if (n.template) return templateSource(deps, n, channel);
  const inline = inlineContent(n, channel);
  const result: Rendered<C> = inline
    ? { ok: true, content: inline }
    : { ok: false, reason: "no_content", message: `The message has no ${channel} content.` };
  return { static: true, render: async () => result };
}

/** The message's template at its pinned version, rendered per recipient with their profile,
 *  their locale (else the browser's language) and the message's data. */
async function templateSource<C extends ContentChannel>(deps: Deps, n: NotificationRow, channel: C): Promise<ContentSource<C>> {
  const { key, version } = n.template!;
  const [t, settings] = await Promise.all([loadTemplateForSend(deps, n.siteId, key, version), siteSettings(deps.db, n.siteId)]);
  const pushDefaults = { icon: settings?.default_icon ?? null };
  return {
    static: false,
    async render(user) {
      if (!t) return { ok: false, reason: "template_not_found", message: `Template ${key} version ${version} no longer exists.` };
      const profile = user && { external_id: user.externalId, email: user.email, phone: user.phone, locale: user.locale, timezone: user.timezone, attributes: user.attributes };
      const r = await renderForRecipient(t, channel, { locale: user?.locale, user: profile, data: n.data ?? {}, pushDefaults });
      return r.ok ? { ok: true, content: r.content as ChannelContent[C] } : { ok: false, reason: r.reason, message: r.message };
    },
  };
}
