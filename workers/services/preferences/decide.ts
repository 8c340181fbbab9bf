// The decision every send goes through (issue #9 §3): for one recipient on one channel, whether
// the send goes out now, is skipped, waits for the end of quiet hours, or joins a digest.
// Pure: the caller (services/sending/deliver.ts) loads the inputs once per batch and injects
// the clock. No send path can bypass it, because every path delivers through deliverBatch.
//
//   decide(input) → Decision, first matching row wins:
//
//   category is required                          → send (opt-outs, quiet hours and digests do
//                                                    not apply: security alerts, receipts)
//   user switched the channel off                 → skip "opted_out"
//   category off (user's override, else the
//     category's default_enabled)                 → skip "opted_out"
//   category's channel off (user's override,
//     else the category's channel default)        → skip "opted_out"
//   category has a digest rule covering this
//     channel, priority normal, the recipient is
//     a user (not an anonymous browser) and the
//     send is not itself a digest                 → digest key = category key, until = now +
//                                                    window_minutes, or the next daily_at in
//                                                    the user's timezone (an open window's own
//                                                    end wins: services/preferences/digests.ts)
//   priority normal and now inside quiet hours
//     (the user's window, else the site's; in the
//     window's timezone, else the user's, else
//     the site's)                                 → defer "quiet_hours" until the window ends
//   otherwise                                     → send
//
// A send without a category (or naming one since deleted) has no category rows; channel
// switches and quiet hours still apply. Anonymous push subscribers (no user) get the site's
// defaults: category defaults and the site's quiet hours in the site's timezone. A digest
// rule's channels default to every channel except in_app (the inbox shows items one by one).
import type { ChannelId } from "../../contracts/channels";
import type { DigestRule, Priority, QuietHours, StoredPreferences } from "../../contracts/preferences";
import { isTimezone, nextDaily, quietUntil } from "./quiet-hours";

/** What decide needs of a category (contracts/preferences.ts Category). */
export interface CategoryRule {
  key: string;
  default_enabled: boolean;
  required: boolean;
  channels: Partial<Record<string, boolean>>;
  digest: DigestRule | null;
}

export interface DecideInput {
  channel: ChannelId;
  /** The send's category; null: none named, or it no longer exists. */
  category: CategoryRule | null;
  priority: Priority;
  /** The user's stored preferences; null for an anonymous push subscriber (no user). */
  preferences: StoredPreferences | null;
  userTimezone: string | null;
  siteQuietHours: QuietHours | null;
  siteTimezone: string;
  /** This send is a digest: never digested again. */
  isDigest: boolean;
  now: number;
}

export type SkipReason = "opted_out";
export type Decision =
  | { kind: "send" }
  | { kind: "skip"; reason: SkipReason }
  | { kind: "defer"; until: number; reason: "quiet_hours" }
  | { kind: "digest"; key: string; until: number };

/** The channels a digest rule collects: its own list, else every channel but in_app. */
export const digestChannels = (rule: DigestRule): readonly string[] => rule.channels ?? ["web_push", "email", "sms", "whatsapp", "fcm"];

const validTz = (tz: string | null | undefined): tz is string => !!tz && isTimezone(tz);

export function decide(input: DecideInput): Decision {
  const { channel, category: cat, preferences: prefs, now } = input;
  if (cat?.required) return { kind: "send" };

  if (prefs?.channels?.[channel] === false) return { kind: "skip", reason: "opted_out" };
  if (cat) {
    const own = prefs?.categories?.[cat.key];
    if (!(own?.enabled ?? cat.default_enabled)) return { kind: "skip", reason: "opted_out" };
    if ((own?.channels?.[channel] ?? cat.channels[channel] ?? true) === false) return { kind: "skip", reason: "opted_out" };
  }

  if (input.priority !== "normal") return { kind: "send" };
  const userTz = validTz(input.userTimezone) ? input.userTimezone : validTz(input.siteTimezone) ? input.siteTimezone : "UTC";

  const rule = cat?.digest;
  if (rule && prefs && !input.isDigest && digestChannels(rule).includes(channel)) {
    const until = rule.daily_at !== undefined ? nextDaily(rule.daily_at, userTz, now) : now + rule.window_minutes! * 60_000;
    return { kind: "digest", key: cat.key, until };
  }

  const quiet = prefs?.quiet_hours ?? input.siteQuietHours;
  if (quiet) {
    const tz = validTz(quiet.timezone) ? quiet.timezone : prefs ? userTz : validTz(input.siteTimezone) ? input.siteTimezone : "UTC";
    const until = quietUntil(quiet, tz, now);
    if (until !== null && until > now) return { kind: "defer", until, reason: "quiet_hours" };
  }
  return { kind: "send" };
}
