// RSS-to-push (issue #10 §5): feeds a site follows, polled every 15 minutes, each new item sent
// as a notification (or collected into one per poll, or held for approval). One definition: the
// API validates with these, services/feeds polls and sends, the dashboard imports the types.
import { z } from "@hono/zod-openapi";
import { FEED_MAX_ITEMS_PER_POLL } from "../config";
import { CategoryKey } from "./preferences";
import { TargetSchema } from "./target";

export const FEED_MODES = ["each", "digest", "approve"] as const;
export type FeedMode = (typeof FEED_MODES)[number];

const Liquid = z.string().min(1).max(1000);
/** The notification an item makes: Liquid over { item, feed } — item.title, item.url, item.image,
 *  item.summary, item.published; feed.title. url and image default to the item's own. */
export const FeedTemplate = z
  .strictObject({ title: Liquid, body: Liquid.optional(), url: Liquid.optional(), image: Liquid.optional() })
  .openapi("FeedTemplate", { example: { title: "{{ item.title }}", body: "New on {{ feed.title }}" } });
export type FeedTemplate = z.infer<typeof FeedTemplate>;

export const FeedInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    url: z.string().min(1).max(2000).openapi({ example: "https://blog.example.com/feed.xml" }),
    mode: z.enum(FEED_MODES).optional().openapi({ description: "each: one notification per new item; digest: one per poll listing them; approve: items wait for approval in the dashboard" }),
    template: FeedTemplate.optional(),
    target: TargetSchema.optional(),
    category: CategoryKey.optional(),
    max_items_per_poll: z.number().int().min(1).max(FEED_MAX_ITEMS_PER_POLL).optional(),
    enabled: z.boolean().optional(),
  })
  .openapi("FeedInput");
export type FeedInput = z.infer<typeof FeedInput>;

export const ITEM_STATES = ["seen", "new", "pending_approval", "sent", "skipped"] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export interface FeedView {
  id: string;
  name: string;
  url: string;
  mode: FeedMode;
  template: FeedTemplate;
  target: Record<string, unknown>;
  category: string | null;
  max_items_per_poll: number;
  enabled: boolean;
  last_polled_at: number | null;
  next_poll_at: number | null;
  /** Why the last poll failed, in a sentence (null after a good one). */
  last_error: string | null;
  last_error_at: number | null;
  items_sent: number;
  pending_approval: number;
  created_at: number;
  updated_at: number;
}

export interface FeedItemView {
  key: string;
  title: string | null;
  url: string | null;
  image: string | null;
  published_at: number | null;
  state: ItemState;
  notification_id: string | null;
  first_seen_at: number;
}
