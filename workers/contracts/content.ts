// What a notification says. One definition: the API validates it (routes/notifications.ts),
// the sender builds the push payload from it (services/sending/payload.ts), the dashboard's
// composer edits it, and PushPayload is what the service worker (sdk/sw.ts) receives.
import { z } from "@hono/zod-openapi";
import { PUSH_TOPIC_MAX_CHARS, PUSH_TTL_MAX_S } from "../config";
import { FreeFormData, HttpsUrl } from "./common";

/** RFC 8030 §5.3 urgency values. */
export const URGENCIES = ["very-low", "low", "normal", "high"] as const;
export type Urgency = (typeof URGENCIES)[number];

/** The content fields, for building request schemas (create, and edit where null clears). */
export const CONTENT_FIELDS = {
  title: z.string().trim().min(1).max(200).openapi({ example: "Summer sale: 30% off" }),
  body: z.string().max(1000).optional().openapi({ example: "Only this weekend." }),
  url: HttpsUrl.optional(),
  icon: HttpsUrl.optional(),
  image: HttpsUrl.optional(),
  badge: HttpsUrl.optional(),
  actions: z
    .array(
      z.strictObject({
        action: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "Must be 1 to 32 letters, digits, '_' or '-'."),
        title: z.string().trim().min(1).max(40),
        url: HttpsUrl.optional(),
      }),
    )
    .max(2)
    .optional(),
  utm: z
    .strictObject({
      source: z.string().max(100).optional(),
      medium: z.string().max(100).optional(),
      campaign: z.string().max(100).optional(),
      term: z.string().max(100).optional(),
      content: z.string().max(100).optional(),
    })
    .optional(),
  ttl: z.number().int().min(0).max(PUSH_TTL_MAX_S).optional().openapi({ description: "Seconds; 0 = now or never" }),
  urgency: z.enum(URGENCIES).optional(),
  topic: z
    .string()
    .regex(new RegExp(`^[A-Za-z0-9_-]{1,${PUSH_TOPIC_MAX_CHARS}}$`), `Up to ${PUSH_TOPIC_MAX_CHARS} characters of A-Z a-z 0-9 _ -.`)
    .optional(),
  tag: z.string().max(64).optional(),
  renotify: z.boolean().optional(),
  require_interaction: z.boolean().optional(),
  data: FreeFormData.optional(),
};

export const ContentSchema = z.strictObject(CONTENT_FIELDS);
export type NotificationContent = z.infer<typeof ContentSchema>;

/** The JSON a browser's service worker receives in each push (built by services/sending/payload.ts). */
export interface PushPayload {
  /** The notification id: the default tag, so a repeat replaces instead of stacking. */
  id?: string;
  title?: string;
  body?: string;
  icon?: string;
  image?: string;
  badge?: string;
  url?: string;
  actions?: Array<{ action: string; title: string; url?: string }>;
  tag?: string;
  renotify?: boolean;
  require_interaction?: boolean;
  data?: unknown;
  /** Per-delivery event token (lib/event-token.ts) for impression/click/dismiss reports. */
  token?: string;
}
