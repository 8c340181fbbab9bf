// RSS-to-push (issue #10 §5). A site follows feeds; every 15 minutes (cron/feed-poll.ts) the due
// ones are claimed (their next poll moved on first, so a cron fired twice polls each once) and
// polled FEED_FETCH_CONCURRENCY at a time:
//
//   fetch    lib/safe-fetch.ts (public https only, redirects re-checked, FEED_TIMEOUT_MS,
//            FEED_MAX_BYTES), conditional: If-None-Match / If-Modified-Since → 304: nothing new
//   parse    parse.ts (RSS, Atom, RDF, JSON Feed); any failure is the feed's last_error in a
//            sentence, and the next poll tries again
//   baseline the first good poll records every item as seen and sends nothing
//   new      items not seen before (by key) are inserted as new (insert … on conflict do nothing:
//            one run gets each), or pending_approval in approve mode
//   send     the newest max_items_per_poll new items (older ones beyond that are skipped: never
//            a blast): each mode → one campaign per item, digest → one listing them; each in
//            one transaction with a send guard per item (db/queries/feeds.ts recordSend), so an
//            item is sent once; items left new by a crash are sent by the next poll
//
// A campaign is the feed's template (Liquid over { item, feed }) to its audience through the
// normal send path. Local-time delivery of feed items is not offered.
import {
  FEED_DEFAULT_ITEMS_PER_POLL,
  FEED_FETCH_CONCURRENCY,
  FEED_ITEMS_KEPT,
  FEED_MAX_BYTES,
  FEED_POLL_INTERVAL_MS,
  FEED_TIMEOUT_MS,
  FEEDS_PER_RUN,
} from "../../config";
import type { FeedInput, FeedItemView, FeedTemplate, FeedView } from "../../contracts/feeds";
import { outboundMessage } from "../../contracts/outbound";
import type { Target } from "../../contracts/target";
import * as q from "../../db/queries/feeds";
import { ApiError, invalidField } from "../../errors";
import { newId } from "../../lib/ids";
import { checkUrl, outboundPolicy, safeFetch } from "../../lib/safe-fetch";
import { sendMessage } from "../../queues/messages";
import type { Deps } from "../deps";
import { campaignValues } from "../notifications";
import { resolveTarget } from "../segments";
import { parseField, renderField, TemplateFieldError } from "../templates/engine";
import { type FeedEntry, ParseFailure, parseFeedBody } from "./parse";

const DEFAULT_TEMPLATE: FeedTemplate = { title: "{{ item.title | default: feed.title }}", body: "{{ item.summary | default: '' | truncate: 180 }}" };

function view(f: q.FeedRow, counts?: { sent: number; pending: number }): FeedView {
  return {
    id: f.id,
    name: f.name,
    url: f.url,
    mode: f.mode,
    template: f.template,
    target: f.target,
    category: f.category,
    max_items_per_poll: f.maxItemsPerPoll,
    enabled: f.enabled,
    last_polled_at: f.lastPolledAt,
    next_poll_at: f.enabled ? f.nextPollAt : null,
    last_error: f.lastError,
    last_error_at: f.lastErrorAt,
    items_sent: counts?.sent ?? 0,
    pending_approval: counts?.pending ?? 0,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
  };
}

async function check(deps: Deps, siteId: string, input: Partial<FeedInput>) {
  if (input.url !== undefined) {
    const verdict = checkUrl(input.url, new Set(outboundPolicy(deps.env).allowOrigins));
    if ("reason" in verdict) throw invalidField("url", outboundMessage(verdict.reason, { url: input.url, ...verdict.params }));
    if (verdict.parsed.protocol !== "https:" && !outboundPolicy(deps.env).allowOrigins.includes(verdict.parsed.origin)) {
      throw invalidField("url", outboundMessage("not_https", { url: input.url }));
    }
  }
  for (const [field, source] of Object.entries(input.template ?? {})) {
    try {
      parseField(source);
    } catch (e) {
      throw new ApiError("template_syntax_error", (e as Error).message, [{ path: `template.${field}`, message: (e as Error).message }]);
    }
  }
  if (input.target) await resolveTarget(deps, siteId, input.target, deps.now());
}

async function load(deps: Deps, siteId: string, id: string) {
  const f = await q.findFeed(deps.db, siteId, id);
  if (!f) throw new ApiError("not_found", "Feed not found.");
  return f;
}

export async function createFeed(deps: Deps, siteId: string, input: FeedInput) {
  await check(deps, siteId, input);
  const now = deps.now();
  const row = await q.insertFeed(deps.db, {
    id: newId("fd", now),
    siteId,
    name: input.name,
    url: input.url,
    mode: input.mode ?? "each",
    template: input.template ?? DEFAULT_TEMPLATE,
    target: (input.target ?? { all: true }) as Record<string, unknown>,
    category: input.category ?? null,
    maxItemsPerPoll: input.max_items_per_poll ?? FEED_DEFAULT_ITEMS_PER_POLL,
    enabled: input.enabled ?? true,
    baselineDone: false,
    etag: null,
    lastModified: null,
    lastPolledAt: null,
    nextPollAt: now, // the next cron run takes its baseline
    lastError: null,
    lastErrorAt: null,
    createdAt: now,
    updatedAt: now,
  });
  return view(row);
}

export async function listFeeds(deps: Deps, siteId: string) {
  const [rows, counts] = await Promise.all([q.listFeeds(deps.db, siteId), q.feedCounts(deps.db, siteId)]);
  const by = new Map(counts.map((c) => [c.feedId, c]));
  return { data: rows.map((f) => view(f, by.get(f.id))) };
}

export async function getFeed(deps: Deps, siteId: string, id: string) {
  const [f, counts] = await Promise.all([load(deps, siteId, id), q.feedCounts(deps.db, siteId)]);
  return view(f, counts.find((c) => c.feedId === id));
}

export async function updateFeed(deps: Deps, siteId: string, id: string, patch: Partial<FeedInput>) {
  const f = await load(deps, siteId, id);
  await check(deps, siteId, patch);
  const urlChanged = patch.url !== undefined && patch.url !== f.url;
  await q.updateFeed(deps.db, siteId, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    // A new address is a new feed: its items are taken as a baseline again, not sent.
    ...(urlChanged ? { url: patch.url, baselineDone: false, etag: null, lastModified: null, nextPollAt: deps.now() } : {}),
    ...(patch.mode !== undefined ? { mode: patch.mode } : {}),
    ...(patch.template ? { template: patch.template } : {}),
    ...(patch.target ? { target: patch.target as Record<string, unknown> } : {}),
    ...(patch.category !== undefined ? { category: patch.category } : {}),
    ...(patch.max_items_per_poll !== undefined ? { maxItemsPerPoll: patch.max_items_per_poll } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled, ...(patch.enabled ? { nextPollAt: deps.now() } : {}) } : {}),
    updatedAt: deps.now(),
  });
  return getFeed(deps, siteId, id);
}

export async function deleteFeed(deps: Deps, siteId: string, id: string) {
  if (!(await q.deleteFeed(deps.db, siteId, id))) throw new ApiError("not_found", "Feed not found.");
}

const itemView = (i: q.FeedItemRow): FeedItemView => ({
  key: i.itemKey,
  title: i.title,
  url: i.url,
  image: i.image,
  published_at: i.publishedAt,
  state: i.state,
  notification_id: i.notificationId,
  first_seen_at: i.firstSeenAt,
});

export async function listItems(deps: Deps, siteId: string, id: string) {
  await load(deps, siteId, id);
  return { data: (await q.listItems(deps.db, siteId, id, 100)).map(itemView) };
}

// ─── Polling ─────────────────────────────────────────────────────────────────

export interface PollOutcome {
  feedId: string;
  status: "baseline" | "unchanged" | "new" | "failed";
  newItems: number;
  sent: number;
  error?: string;
}

/** The notification an item (or a digest of items) makes, through campaignValues' checks. */
async function notificationFor(deps: Deps, f: q.FeedRow, items: q.FeedItemRow[], feedTitle: string | null) {
  const scope = (item: q.FeedItemRow) => ({
    item: { title: item.title ?? "", url: item.url ?? "", image: item.image ?? "", summary: item.summary ?? "", published: item.publishedAt },
    feed: { title: feedTitle ?? f.name, url: f.url },
  });
  const render = (source: string | undefined, item: q.FeedItemRow) => (source ? renderField(parseField(source), scope(item), true).trim() : "");
  const first = items[0]!;
  const content =
    items.length === 1
      ? {
          title: render(f.template.title, first) || first.title || f.name,
          body: render(f.template.body, first) || undefined,
          url: render(f.template.url, first) || first.url || undefined,
          image: render(f.template.image, first) || first.image || undefined,
        }
      : {
          title: `${feedTitle ?? f.name}: ${items.length} new`,
          body: items.map((i) => i.title ?? "(untitled)").slice(0, 5).join("\n").slice(0, 1000),
          url: undefined,
          image: undefined,
        };
  const clean = Object.fromEntries(Object.entries(content).filter(([, v]) => v !== undefined && v !== ""));
  const values = await campaignValues(deps, f.siteId, null, {
    ...(clean as { title: string }),
    title: String(clean.title).slice(0, 200),
    ...(typeof clean.body === "string" ? { body: clean.body.slice(0, 1000) } : {}),
    target: f.target as unknown as Target,
    ...(f.category ? { category: f.category } : {}),
  });
  return { ...values, status: "sending" as const, startedAt: deps.now() };
}

/** Sends these items (one notification, or one each), once each; returns how many notifications. */
async function sendItems(deps: Deps, f: q.FeedRow, items: q.FeedItemRow[], feedTitle: string | null): Promise<number> {
  const groups = f.mode === "digest" && items.length > 1 ? [items] : items.map((i) => [i]);
  let sent = 0;
  for (const group of groups) {
    let n: Awaited<ReturnType<typeof notificationFor>>;
    try {
      n = await notificationFor(deps, f, group, feedTitle);
    } catch (e) {
      const why = e instanceof TemplateFieldError || e instanceof ApiError ? e.message : "it could not be turned into a notification";
      await q.setItemsState(deps.db, f.id, group.map((i) => i.itemKey), "skipped");
      await q.updateFeed(deps.db, f.siteId, f.id, { lastError: `An item was skipped: ${why}`, lastErrorAt: deps.now() });
      continue;
    }
    if (await q.recordSend(deps.db, f, group.map((i) => i.itemKey), n)) {
      await deps.env.SEND_QUEUE.send(sendMessage.plan(f.siteId, n.id));
      sent++;
    } else {
      await q.setItemsState(deps.db, f.id, group.map((i) => i.itemKey), "skipped"); // sent before (its key came back)
    }
  }
  return sent;
}

const toRow = (e: FeedEntry, now: number) => ({ itemKey: e.key, title: e.title, url: e.url, image: e.image, summary: e.summary, publishedAt: e.published, firstSeenAt: now });

/** Polls one feed (see the header); never throws for the feed's own problems. */
export async function pollFeed(deps: Deps, f: q.FeedRow, limits: { timeoutMs?: number; maxBytes?: number } = {}): Promise<PollOutcome> {
  const now = deps.now();
  const fail = async (error: string): Promise<PollOutcome> => {
    await q.updateFeed(deps.db, f.siteId, f.id, { lastPolledAt: now, lastError: error, lastErrorAt: now });
    return { feedId: f.id, status: "failed", newItems: 0, sent: 0, error };
  };
  const res = await safeFetch(f.url, {
    fetcher: deps.fetch,
    ...outboundPolicy(deps.env),
    headers: {
      accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5",
      "user-agent": "Herald-RSS/1 (+https://herald.dev)",
      ...(f.etag ? { "if-none-match": f.etag } : {}),
      ...(f.lastModified ? { "if-modified-since": f.lastModified } : {}),
    },
    timeoutMs: limits.timeoutMs ?? FEED_TIMEOUT_MS,
    maxBytes: limits.maxBytes ?? FEED_MAX_BYTES,
    now: deps.now,
  });
  if (!res.ok) return fail(res.message);
  if (res.status === 304) {
    await q.updateFeed(deps.db, f.siteId, f.id, { lastPolledAt: now, lastError: null, lastErrorAt: null });
    return { feedId: f.id, status: "unchanged", newItems: 0, sent: 0 };
  }
  if (res.status < 200 || res.status > 299) return fail(`The feed answered HTTP ${res.status} instead of the feed.`);
  let parsed: Awaited<ReturnType<typeof parseFeedBody>>;
  try {
    parsed = await parseFeedBody(res.body);
  } catch (e) {
    if (e instanceof ParseFailure) return fail(e.message);
    throw e;
  }
  const cache = { etag: res.headers.get("etag"), lastModified: res.headers.get("last-modified"), lastPolledAt: now, lastError: null, lastErrorAt: null };
  const rows = parsed.items.map((e) => toRow(e, now));
  if (!f.baselineDone) {
    await q.insertItems(deps.db, f, rows, "seen");
    await q.updateFeed(deps.db, f.siteId, f.id, { ...cache, baselineDone: true });
    return { feedId: f.id, status: "baseline", newItems: 0, sent: 0 };
  }
  const added = await q.insertItems(deps.db, f, rows, f.mode === "approve" ? "pending_approval" : "new");
  let sent = 0;
  if (f.mode !== "approve") {
    // New items (this poll's, and any a crash left unsent), newest first; beyond the cap: skipped.
    const fresh = await q.itemsIn(deps.db, f.id, "new", FEED_ITEMS_KEPT);
    const now_ = fresh.slice(0, f.maxItemsPerPoll);
    await q.setItemsState(deps.db, f.id, fresh.slice(f.maxItemsPerPoll).map((i) => i.itemKey), "skipped");
    sent = await sendItems(deps, f, now_, parsed.title);
  }
  await q.updateFeed(deps.db, f.siteId, f.id, cache);
  await q.pruneItems(deps.db, f.id, FEED_ITEMS_KEPT);
  return { feedId: f.id, status: "new", newItems: added.size, sent };
}

/** "Poll now" from the dashboard or the API. */
export async function pollNow(deps: Deps, siteId: string, id: string) {
  const f = await load(deps, siteId, id);
  const outcome = await pollFeed(deps, f);
  await q.updateFeed(deps.db, siteId, id, { nextPollAt: deps.now() + FEED_POLL_INTERVAL_MS });
  return { ...outcome, feed: await getFeed(deps, siteId, id) };
}

/** Approve: the item goes out now (once, however often approved); skip: it never does. */
export async function decideItem(deps: Deps, siteId: string, id: string, key: string, approve: boolean) {
  const f = await load(deps, siteId, id);
  const item = await q.findItem(deps.db, siteId, id, key);
  if (!item) throw new ApiError("not_found", "Item not found.");
  if (item.state !== "pending_approval") throw new ApiError("invalid_state", `This item is ${item.state.replace("_", " ")}; only items waiting for approval can be approved or skipped.`);
  if (!approve) await q.setItemsState(deps.db, id, [key], "skipped");
  else await sendItems(deps, { ...f, mode: "each" }, [item], null);
  return itemView((await q.findItem(deps.db, siteId, id, key))!);
}

/** The cron's part: claims the due feeds and polls them, a few at a time. */
export async function pollDueFeeds(deps: Deps): Promise<PollOutcome[]> {
  const now = deps.now();
  const due = await q.claimDueFeeds(deps.db, now, now + FEED_POLL_INTERVAL_MS, FEEDS_PER_RUN);
  const out: PollOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const f = due[next++]!;
      try {
        out.push(await pollFeed(deps, f));
      } catch (e) {
        out.push({ feedId: f.id, status: "failed", newItems: 0, sent: 0, error: String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FEED_FETCH_CONCURRENCY, due.length) }, worker));
  return out;
}
