// A feed's body as items (issue #10 §5), with feedsmith (RSS 2.0, Atom, RDF and JSON Feed; on
// fast-xml-parser — no hand-written XML parsing, no eval). Each item comes out the same whatever
// the format: a key (SHA-256 of its guid, else id, else link, else title: what dedupes it), its
// title, link, an image (an image enclosure, a media:content/thumbnail image, JSON Feed's image),
// a plain-text summary and its date. A body that is no feed is a ParseFailure with a sentence.
import { parseFeed } from "feedsmith";
import { sha256Hex } from "../../lib/encoding";

export interface FeedEntry {
  key: string;
  title: string | null;
  url: string | null;
  image: string | null;
  summary: string | null;
  published: number | null;
}
export interface ParsedFeed {
  title: string | null;
  items: FeedEntry[];
}
export class ParseFailure extends Error {}

type Any = Record<string, any>; // feedsmith's types differ per format; each field is checked below

const text = (v: unknown): string | null => {
  const s = typeof v === "string" ? v : v && typeof v === "object" && typeof (v as Any).value === "string" ? (v as Any).value : null;
  const t = s?.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return t ? t.slice(0, 1000) : null;
};
const httpUrl = (v: unknown): string | null => (typeof v === "string" && /^https?:\/\//i.test(v) ? v.slice(0, 2000) : null);
const date = (v: unknown): number | null => {
  const t = typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : null;
};
const isImage = (m: Any) => (typeof m.type === "string" && m.type.startsWith("image/")) || m.medium === "image";

function imageOf(item: Any): string | null {
  const candidates: unknown[] = [
    ...(item.enclosures ?? []).filter(isImage).map((e: Any) => e.url),
    ...(item.media?.contents ?? []).filter((m: Any) => isImage(m) || !m.type).map((m: Any) => m.url),
    ...(item.media?.thumbnails ?? []).map((m: Any) => m.url),
    item.image,
    item.banner_image,
    item.itunes?.image,
  ];
  for (const c of candidates) {
    const u = httpUrl(typeof c === "object" && c ? (c as Any).href ?? (c as Any).url : c);
    if (u) return u;
  }
  return null;
}

function linkOf(item: Any): string | null {
  if (Array.isArray(item.links)) {
    const alt = item.links.find((l: Any) => !l.rel || l.rel === "alternate") ?? item.links[0];
    return httpUrl(alt?.href);
  }
  return httpUrl(item.link) ?? httpUrl(item.url);
}

export async function parseFeedBody(body: string): Promise<ParsedFeed> {
  let parsed: { format: string; feed: Any };
  try {
    parsed = parseFeed(body) as { format: string; feed: Any };
  } catch (e) {
    throw new ParseFailure(`It is not a valid RSS, Atom or JSON feed (${(e as Error).message}).`);
  }
  const feed = parsed.feed;
  const raw: Any[] = feed.items ?? feed.entries ?? [];
  const items: FeedEntry[] = [];
  for (const item of raw) {
    const url = linkOf(item);
    const title = text(item.title);
    const identity = text(item.guid) ?? (typeof item.id === "string" ? item.id : null) ?? url ?? title;
    if (!identity) continue; // nothing to tell it apart by: skipped rather than sent again and again
    items.push({
      key: (await sha256Hex(identity)).slice(0, 32),
      title,
      url,
      image: imageOf(item),
      summary: text(item.description ?? item.summary ?? item.content_text ?? item.content),
      published: date(item.pubDate ?? item.published ?? item.date_published ?? item.updated ?? item.dc?.date),
    });
  }
  return { title: text(feed.title), items };
}
