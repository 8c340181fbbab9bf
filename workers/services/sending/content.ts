// What a send says to one recipient on one channel: the inline content stored with the
// notification (the same for everyone), or its template rendered for the recipient
// (services/templates). Channels ask for a ContentSource once per batch and render per recipient.
import type { FailureReason } from "../../contracts/failure-reasons";
import type { ChannelContent, ContentChannel } from "../../contracts/message-content";
import type { NotificationRow } from "../../db/queries/notifications";
import type { Deps } from "../deps";

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

export async function contentSource<C extends ContentChannel>(_deps: Deps, n: NotificationRow, channel: C): Promise<ContentSource<C>> {
  const inline = inlineContent(n, channel);
  const result: Rendered<C> = inline
    ? { ok: true, content: inline }
    : { ok: false, reason: "no_content", message: `The message has no ${channel} content.` };
  return { static: true, render: async () => result };
}
