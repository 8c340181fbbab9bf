// What a digest says on each channel (issue #9 §3): "Comments: 5 new" and the items' titles —
// email lists them all (HTML and text, each linking where the item leads), web push, FCM and
// in-app show the first few in the body, SMS and WhatsApp a short line. Pure; the result is
// valid content of contracts/message-content.ts for the channel.
import type { ChannelId } from "../../contracts/channels";
import type { ChannelContent } from "../../contracts/message-content";
import { DIGEST_MAX_ITEMS_LISTED } from "../../config";

export interface DigestItem {
  title: string | null;
  url: string | null;
}

/** Items shown in a push or inbox body, and the SMS length aimed at (two segments). */
const BODY_ITEMS = 3;
const SHORT_TEXT_CHARS = 300;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

export function digestContent(channel: ChannelId, name: string, items: DigestItem[]): ChannelContent[ChannelId] {
  const headline = clip(`${name}: ${items.length} new`, 200);
  const titles = items.map((i) => i.title ?? "(untitled)");
  const more = (shown: number) => (items.length > shown ? `…and ${items.length - shown} more` : null);
  const body = clip([...titles.slice(0, BODY_ITEMS), more(BODY_ITEMS)].filter(Boolean).join("\n"), 1000);
  const urls = [...new Set(items.map((i) => i.url).filter((u): u is string => !!u))];
  // Only one place to go: the push opens it; several: the push just opens the site's default.
  const url = urls.length === 1 ? urls[0] : undefined;
  switch (channel) {
    case "email": {
      const listed = items.slice(0, DIGEST_MAX_ITEMS_LISTED);
      const text = [headline, "", ...listed.map((i) => `- ${i.title ?? "(untitled)"}${i.url ? `\n  ${i.url}` : ""}`), more(listed.length)].filter((l) => l !== null).join("\n");
      const html = `<h2>${escapeHtml(headline)}</h2>\n<ul>\n${listed
        .map((i) => {
          const title = escapeHtml(i.title ?? "(untitled)");
          return `  <li>${i.url ? `<a href="${escapeHtml(i.url)}">${title}</a>` : title}</li>`;
        })
        .join("\n")}\n</ul>${more(listed.length) ? `\n<p>${escapeHtml(more(listed.length)!)}</p>` : ""}`;
      return { subject: clip(headline, 250), text, html };
    }
    case "sms":
    case "whatsapp":
      return { text: clip(`${headline}: ${titles.join("; ")}`, SHORT_TEXT_CHARS) };
    case "web_push":
    case "in_app":
    case "fcm":
      return { title: headline, body, ...(url ? { url } : {}) };
  }
}
