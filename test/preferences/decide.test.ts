// The decision table of services/preferences/decide.ts, row by row, with the clock injected;
// and the quiet-hours arithmetic across midnight and daylight-saving changes.
import { describe, expect, it } from "vitest";
import { type CategoryRule, type DecideInput, decide } from "../../workers/services/preferences/decide";
import { nextDaily, quietUntil } from "../../workers/services/preferences/quiet-hours";

const PARIS_2300 = Date.UTC(2026, 0, 14, 22, 0); // 23:00 in Paris (UTC+1), a winter Wednesday
const PARIS_0800 = Date.UTC(2026, 0, 15, 7, 0);
const PARIS_NOON = Date.UTC(2026, 0, 14, 11, 0);

const comments: CategoryRule = { key: "comments", default_enabled: true, required: false, channels: { sms: false }, digest: null };
const security: CategoryRule = { key: "security", default_enabled: true, required: true, channels: {}, digest: null };
const news: CategoryRule = { key: "news", default_enabled: false, required: false, channels: {}, digest: null };
const digestCat: CategoryRule = { ...comments, digest: { window_minutes: 30 } };
const dailyDigest: CategoryRule = { ...comments, digest: { daily_at: "09:00" } };

const base: DecideInput = {
  channel: "email",
  category: null,
  priority: "normal",
  preferences: {},
  userTimezone: "Europe/Paris",
  siteQuietHours: null,
  siteTimezone: "UTC",
  templateDigest: null,
  frequencyCap: null,
  isDigest: false,
  localDelivery: null,
  recipientTimezone: null,
  startedAt: PARIS_NOON,
  now: PARIS_NOON,
};
const quiet = { quiet_hours: { start: "22:00", end: "08:00" } };
const SEND = { kind: "send", counted: false } as const;
const COUNTED = { kind: "send", counted: true } as const;
const cap = { per_day: 2 };
const templateDigest = { key: "template:order-shipped", rule: { window_minutes: 60 } };

describe("decide", () => {
  const rows: Array<[string, Partial<DecideInput>, ReturnType<typeof decide>]> = [
    ["no category, no preferences: send", {}, SEND],
    ["channel switched off: skip", { preferences: { channels: { email: false } } }, { kind: "skip", reason: "opted_out" }],
    ["another channel switched off: send", { preferences: { channels: { sms: false } } }, SEND],
    ["required category ignores the channel switch", { category: security, preferences: { channels: { email: false } } }, SEND],
    ["required category ignores its own opt-out", { category: security, preferences: { categories: { security: { enabled: false } } } }, SEND],
    ["required category passes quiet hours", { category: security, preferences: quiet, now: PARIS_2300 }, SEND],
    ["category opted out by the user: skip", { category: comments, preferences: { categories: { comments: { enabled: false } } } }, { kind: "skip", reason: "opted_out" }],
    ["category off by default: skip", { category: news }, { kind: "skip", reason: "opted_out" }],
    ["category off by default, user opted in: send", { category: news, preferences: { categories: { news: { enabled: true } } } }, SEND],
    ["category's channel default off: skip", { category: comments, channel: "sms" }, { kind: "skip", reason: "opted_out" }],
    ["category's channel switched back on by the user: send", { category: comments, channel: "sms", preferences: { categories: { comments: { channels: { sms: true } } } } }, SEND],
    ["category's channel switched off by the user: skip", { category: comments, preferences: { categories: { comments: { channels: { email: false } } } } }, { kind: "skip", reason: "opted_out" }],
    ["anonymous subscriber, category default off: skip", { category: news, preferences: null, channel: "web_push" }, { kind: "skip", reason: "opted_out" }],
    ["digest category: digest for 30 minutes", { category: digestCat }, { kind: "digest", key: "comments", until: PARIS_NOON + 30 * 60_000 }],
    ["digest category, daily: until the next 09:00 in the user's timezone", { category: dailyDigest }, { kind: "digest", key: "comments", until: Date.UTC(2026, 0, 15, 8, 0) }],
    ["digest category, urgent: send", { category: digestCat, priority: "urgent" }, SEND],
    ["digest category, a digest itself: send", { category: digestCat, isDigest: true }, SEND],
    ["digest category, in_app not among its default channels: send", { category: digestCat, channel: "in_app" }, SEND],
    ["digest category naming its channels: others send", { category: { ...comments, digest: { window_minutes: 5, channels: ["web_push"] } } }, SEND],
    ["digest category, anonymous subscriber: send on its own", { category: digestCat, preferences: null, channel: "web_push" }, SEND],
    ["digest beats quiet hours (the digest is deferred when it goes out)", { category: digestCat, preferences: quiet, now: PARIS_2300 }, { kind: "digest", key: "comments", until: PARIS_2300 + 30 * 60_000 }],
    ["a frequency cap: the send counts", { frequencyCap: cap }, COUNTED],
    ["a frequency cap, in_app not among its default channels: not counted", { frequencyCap: cap, channel: "in_app" }, SEND],
    ["a frequency cap naming its channels: others not counted", { frequencyCap: { per_week: 5, channels: ["web_push"] } }, SEND],
    ["a frequency cap, urgent: not counted", { frequencyCap: cap, priority: "urgent" }, SEND],
    ["a frequency cap, required category: not counted", { frequencyCap: cap, category: security }, SEND],
    ["a frequency cap, anonymous subscriber: counted", { frequencyCap: cap, preferences: null, channel: "web_push" }, COUNTED],
    ["a frequency cap, inside quiet hours: deferred (counted when released)", { frequencyCap: cap, preferences: quiet, now: PARIS_2300 }, { kind: "defer", until: PARIS_0800, reason: "quiet_hours" }],
    ["a frequency cap, opted out: skipped as opted out", { frequencyCap: cap, preferences: { channels: { email: false } } }, { kind: "skip", reason: "opted_out" }],
    ["template digest rule: digest under the template's key", { templateDigest }, { kind: "digest", key: "template:order-shipped", until: PARIS_NOON + 60 * 60_000 }],
    ["the category's digest rule wins over the template's", { templateDigest, category: digestCat }, { kind: "digest", key: "comments", until: PARIS_NOON + 30 * 60_000 }],
    ["template digest, urgent: send", { templateDigest, priority: "urgent" }, SEND],
    ["template digest, anonymous subscriber: send on its own", { templateDigest, preferences: null, channel: "web_push" }, SEND],
    ["template digest, the category opted out: skip", { templateDigest, category: comments, preferences: { categories: { comments: { enabled: false } } } }, { kind: "skip", reason: "opted_out" }],
    ["local delivery on a date: defer to 09:00 on the user's clock", { localDelivery: { time: "09:00", date: "2026-01-20" } }, { kind: "defer", until: Date.UTC(2026, 0, 20, 8, 0), reason: "local_time" }],
    ["local delivery without a date: the first 09:00 after the start (tomorrow)", { localDelivery: { time: "09:00" } }, { kind: "defer", until: Date.UTC(2026, 0, 15, 8, 0), reason: "local_time" }],
    ["local delivery without a date, started 08:59 Paris: today 09:00", { localDelivery: { time: "09:00" }, startedAt: Date.UTC(2026, 0, 14, 7, 59), now: Date.UTC(2026, 0, 14, 7, 59, 30) }, { kind: "defer", until: Date.UTC(2026, 0, 14, 8, 0), reason: "local_time" }],
    ["local delivery, the moment reached (released): the other rows apply", { localDelivery: { time: "09:00" }, startedAt: Date.UTC(2026, 0, 14, 7, 59), now: Date.UTC(2026, 0, 14, 8, 0), preferences: { channels: { email: false } } }, { kind: "skip", reason: "opted_out" }],
    ["local delivery, moment already past on its date: send now", { localDelivery: { time: "09:00", date: "2026-01-14" } }, SEND],
    ["local delivery: spring-forward day, 09:00 Paris is 07:00 UTC", { localDelivery: { time: "09:00", date: "2026-03-29" } }, { kind: "defer", until: Date.UTC(2026, 2, 29, 7, 0), reason: "local_time" }],
    ["local delivery: 02:30 does not exist on spring-forward night: 03:30 (as calendars shift it)", { localDelivery: { time: "02:30", date: "2026-03-29" } }, { kind: "defer", until: Date.UTC(2026, 2, 29, 1, 30), reason: "local_time" }],
    ["local delivery: fall-back day, 09:00 Paris is 08:00 UTC", { localDelivery: { time: "09:00", date: "2026-10-25" } }, { kind: "defer", until: Date.UTC(2026, 9, 25, 8, 0), reason: "local_time" }],
    ["local delivery: New York's spring-forward day", { userTimezone: "America/New_York", localDelivery: { time: "09:00", date: "2026-03-08" } }, { kind: "defer", until: Date.UTC(2026, 2, 8, 13, 0), reason: "local_time" }],
    ["local delivery: no user timezone, the browser's", { userTimezone: null, recipientTimezone: "Asia/Tokyo", localDelivery: { time: "09:00", date: "2026-01-20" } }, { kind: "defer", until: Date.UTC(2026, 0, 20, 0, 0), reason: "local_time" }],
    ["local delivery: the user's timezone wins over the browser's", { recipientTimezone: "Asia/Tokyo", localDelivery: { time: "09:00", date: "2026-01-20" } }, { kind: "defer", until: Date.UTC(2026, 0, 20, 8, 0), reason: "local_time" }],
    ["local delivery: neither, the site's", { userTimezone: null, siteTimezone: "America/Los_Angeles", localDelivery: { time: "09:00", date: "2026-01-20" } }, { kind: "defer", until: Date.UTC(2026, 0, 20, 17, 0), reason: "local_time" }],
    ["local delivery applies to required and urgent sends too (a schedule)", { category: security, priority: "urgent", localDelivery: { time: "09:00", date: "2026-01-20" } }, { kind: "defer", until: Date.UTC(2026, 0, 20, 8, 0), reason: "local_time" }],
    ["anonymous subscriber with a browser timezone: the site's window on the browser's clock", { preferences: null, userTimezone: null, recipientTimezone: "Europe/Paris", channel: "web_push", siteQuietHours: { start: "22:00", end: "08:00" }, now: PARIS_2300 }, { kind: "defer", until: PARIS_0800, reason: "quiet_hours" }],
    ["inside the user's quiet hours: defer to 08:00 their time", { preferences: quiet, now: PARIS_2300 }, { kind: "defer", until: PARIS_0800, reason: "quiet_hours" }],
    ["inside quiet hours, urgent: send", { preferences: quiet, now: PARIS_2300, priority: "urgent" }, SEND],
    ["outside quiet hours: send", { preferences: quiet, now: PARIS_NOON }, SEND],
    ["at the window's end: send", { preferences: quiet, now: PARIS_0800 }, SEND],
    ["the site's default window applies in the user's timezone", { siteQuietHours: { start: "22:00", end: "08:00" }, now: PARIS_2300 }, { kind: "defer", until: PARIS_0800, reason: "quiet_hours" }],
    ["the user's own window wins over the site's", { siteQuietHours: { start: "22:00", end: "08:00" }, preferences: { quiet_hours: { start: "23:30", end: "06:00" } }, now: PARIS_2300 }, SEND],
    ["a window's own timezone wins", { preferences: { quiet_hours: { start: "22:00", end: "08:00", timezone: "UTC" } }, now: PARIS_2300 }, { kind: "defer", until: Date.UTC(2026, 0, 15, 8, 0), reason: "quiet_hours" }],
    ["anonymous subscriber: the site's window in the site's timezone", { preferences: null, userTimezone: null, channel: "web_push", siteQuietHours: { start: "21:00", end: "23:00" }, siteTimezone: "UTC", now: PARIS_2300 }, { kind: "defer", until: Date.UTC(2026, 0, 14, 23, 0), reason: "quiet_hours" }],
    ["no user timezone: the site's", { userTimezone: null, siteTimezone: "America/New_York", preferences: quiet, now: Date.UTC(2026, 0, 15, 4, 0) }, { kind: "defer", until: Date.UTC(2026, 0, 15, 13, 0), reason: "quiet_hours" }],
    ["an unknown stored timezone falls back to the site's", { userTimezone: "Nowhere/City", siteTimezone: "UTC", preferences: quiet, now: Date.UTC(2026, 0, 14, 23, 0) }, { kind: "defer", until: Date.UTC(2026, 0, 15, 8, 0), reason: "quiet_hours" }],
  ];
  for (const [name, input, expected] of rows) {
    it(name, () => expect(decide({ ...base, ...input })).toEqual(expected));
  }
});

describe("quiet hours", () => {
  it("handles windows that do not wrap midnight", () => {
    const lunch = { start: "12:00", end: "14:00" };
    expect(quietUntil(lunch, "UTC", Date.UTC(2026, 5, 1, 11, 59))).toBeNull();
    expect(quietUntil(lunch, "UTC", Date.UTC(2026, 5, 1, 12, 0))).toBe(Date.UTC(2026, 5, 1, 14, 0));
    expect(quietUntil(lunch, "UTC", Date.UTC(2026, 5, 1, 14, 0))).toBeNull();
  });

  it("ends at 08:00 on the wall on the night clocks spring forward and fall back", () => {
    const night = { start: "22:00", end: "08:00" };
    // New York springs forward on 2026-03-08 (EST −5 → EDT −4): 08:00 EDT is 12:00 UTC, not 13:00.
    expect(quietUntil(night, "America/New_York", Date.UTC(2026, 2, 8, 4, 0))).toBe(Date.UTC(2026, 2, 8, 12, 0));
    // …and falls back on 2026-11-01 (EDT −4 → EST −5): 08:00 EST is 13:00 UTC.
    expect(quietUntil(night, "America/New_York", Date.UTC(2026, 10, 1, 3, 0))).toBe(Date.UTC(2026, 10, 1, 13, 0));
    // The morning part of the window ends the same day.
    expect(quietUntil(night, "America/New_York", Date.UTC(2026, 2, 8, 10, 0))).toBe(Date.UTC(2026, 2, 8, 12, 0));
  });

  it("finds the next daily time, today or tomorrow", () => {
    expect(nextDaily("09:00", "Europe/Paris", Date.UTC(2026, 0, 14, 7, 59))).toBe(Date.UTC(2026, 0, 14, 8, 0));
    expect(nextDaily("09:00", "Europe/Paris", Date.UTC(2026, 0, 14, 8, 0))).toBe(Date.UTC(2026, 0, 15, 8, 0));
  });
});
