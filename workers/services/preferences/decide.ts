// The decision every send goes through (issue #9 §3): for one recipient on one channel, whether
// the send goes out now, is skipped, waits for the end of quiet hours, or joins a digest — and
// whether a send now counts toward the site's frequency cap.
// Pure: the caller (services/preferences/policy.ts, from services/sending/deliver.ts) loads the
// inputs once per batch and injects the clock; it then takes the cap's slots for the sends that
// count (caps.ts: one statement, exact under concurrency) and skips the rest as "capped". No
// send path can bypass it, because every path delivers through deliverBatch.
//
//   decide(input) → Decision, first matching row wins:
//
//   the send has a local delivery time and the
//     recipient's moment (on its date, else the
//     first after the send started, in their
//     timezone) is still ahead                    → defer "local_time" until that moment (a
//                                                    schedule of the send, not a preference:
//                                                    every row below applies when it is released)
//   category is required                          → send, not counted (opt-outs, quiet hours,
//                                                    digests and caps do not apply: security
//                                                    alerts, receipts)
//   user switched the channel off                 → skip "opted_out"
//   category off (user's override, else the
//     category's default_enabled)                 → skip "opted_out"
//   category's channel off (user's override,
//     else the category's channel default)        → skip "opted_out"
//   priority urgent                               → send, not counted
//   the category's digest rule, else the
//     template's, covers this channel, the
//     recipient is a user (not an anonymous
//     browser) and the send is not itself a
//     digest                                      → digest key = category key (or
//                                                    "template:<key>"), until = now +
//                                                    window_minutes, or the next daily_at in
//                                                    the user's timezone (an open window's own
//                                                    end wins: services/preferences/digests.ts)
//   now inside quiet hours (the user's window,
//     else the site's; in the window's timezone,
//     else the recipient's clock)                 → defer "quiet_hours" until the window ends
//   otherwise                                     → send, counted toward the frequency cap when
//                                                    the site has one covering this channel
//
// A send without a category (or naming one since deleted) has no category rows; channel
// switches, quiet hours and caps still apply. Anonymous push subscribers (no user) get the site's
// defaults: category defaults and the site's quiet hours. Every wall-clock rule (local delivery,
// quiet hours, daily digests) reads the recipient's clock: their profile's timezone, else their
// browser's, else the site's. A digest
// rule's channels default to every channel except in_app (the inbox shows items one by one);
// so do a cap's. Deferred sends and digests are decided again when they go out, so they count
// toward the cap then, not when held.
import { type ChannelId, INTERRUPTING_CHANNELS } from "../../contracts/channels";
import type { DigestRule, FrequencyCap, LocalDelivery, Priority, QuietHours, StoredPreferences } from "../../contracts/preferences";
import { localTime } from "../../lib/timezone";
import { isTimezone, minutesOf, nextDaily, quietUntil } from "./quiet-hours";

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
  /** The send's template digest rule (when it has one), keyed "template:<key>". */
  templateDigest: { key: string; rule: DigestRule } | null;
  /** The site's frequency cap, when it has one. */
  frequencyCap: FrequencyCap | null;
  /** This send is a digest: never digested again. */
  isDigest: boolean;
  /** The send's local delivery time (issue #10 §2), when it has one. */
  localDelivery: LocalDelivery | null;
  /** The recipient's own timezone (a browser's), used when their user has none. */
  recipientTimezone: string | null;
  /** When the send started: the reference for an undated local delivery time. */
  startedAt: number;
  now: number;
}

export type SkipReason = "opted_out" | "capped";
export type Decision =
  /** `counted`: the send takes a slot of the site's frequency cap (or is skipped "capped"). */
  | { kind: "send"; counted: boolean }
  | { kind: "skip"; reason: SkipReason }
  | { kind: "defer"; until: number; reason: "quiet_hours" | "local_time" }
  | { kind: "digest"; key: string; until: number };

/** The channels a digest rule collects: its own list, else every channel but in_app. */
export const digestChannels = (rule: DigestRule): readonly string[] => rule.channels ?? INTERRUPTING_CHANNELS;

/** The channels a frequency cap counts: its own list, else every channel but in_app. */
export const cappedChannels = (cap: FrequencyCap): readonly ChannelId[] => cap.channels ?? INTERRUPTING_CHANNELS;

const validTz = (tz: string | null | undefined): tz is string => !!tz && isTimezone(tz);

/** The instant a recipient in `tz` is due a local delivery: `date` at `time`, else the first
 *  moment at or after the send's start when their clock reads `time`. */
export function localMoment(d: LocalDelivery, tz: string, startedAt: number): number {
  return d.date ? localTime(tz, d.date, minutesOf(d.time)) : nextDaily(d.time, tz, startedAt - 1);
}

export function decide(input: DecideInput): Decision {
  const { channel, category: cat, preferences: prefs, now } = input;
  const zone = [input.userTimezone, input.recipientTimezone, input.siteTimezone].find(validTz) ?? "UTC";
  if (input.localDelivery) {
    const until = localMoment(input.localDelivery, zone, input.startedAt);
    if (until > now) return { kind: "defer", until, reason: "local_time" };
  }
  if (cat?.required) return { kind: "send", counted: false };

  if (prefs?.channels?.[channel] === false) return { kind: "skip", reason: "opted_out" };
  if (cat) {
    const own = prefs?.categories?.[cat.key];
    if (!(own?.enabled ?? cat.default_enabled)) return { kind: "skip", reason: "opted_out" };
    if ((own?.channels?.[channel] ?? cat.channels[channel] ?? true) === false) return { kind: "skip", reason: "opted_out" };
  }

  if (input.priority !== "normal") return { kind: "send", counted: false };


  const digest = cat?.digest ? { key: cat.key, rule: cat.digest } : input.templateDigest;
  if (digest && prefs && !input.isDigest && digestChannels(digest.rule).includes(channel)) {
    const { rule } = digest;
    const until = rule.daily_at !== undefined ? nextDaily(rule.daily_at, zone, now) : now + rule.window_minutes! * 60_000;
    return { kind: "digest", key: digest.key, until };
  }

  const quiet = prefs?.quiet_hours ?? input.siteQuietHours;
  if (quiet) {
    const tz = validTz(quiet.timezone) ? quiet.timezone : zone;
    const until = quietUntil(quiet, tz, now);
    if (until !== null && until > now) return { kind: "defer", until, reason: "quiet_hours" };
  }
  return { kind: "send", counted: !!input.frequencyCap && cappedChannels(input.frequencyCap).includes(channel) };
}
