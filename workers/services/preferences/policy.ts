// The decision applied to one batch (services/sending/deliver.ts calls it after the channel's
// pendingRecipients, before any send): loads what decide() needs for all the batch's recipients
// in one round trip — their users' preferences and timezones by external id, the send's
// category, the site's settings — decides per recipient, and returns who to send to now and
// the delivery rows (and digest entries) of the others. Sends that count toward the site's
// frequency cap then take their slots in one statement (db/queries/caps.ts: exact when sends run
// at once; a redelivered batch keeps its slots); those without room are skipped "capped".
// Recipients without a user (anonymous push subscribers, devices of unknown ids) get the site's
// defaults.
import type { Recipient } from "../../channels/types";
import type { ChannelId } from "../../contracts/channels";
import type { StoredPreferences } from "../../contracts/preferences";
import { capKey, takeCapSlots } from "../../db/queries/caps";
import type { DigestEntry } from "../../db/queries/digests";
import type { DeliveryRecord, NotificationRow } from "../../db/queries/notifications";
import { loadPolicy, type PolicyUser } from "../../db/queries/preferences";
import type { Deps } from "../deps";
import { contentSource } from "../sending/content";
import { type CategoryRule, decide } from "./decide";
import type { DigestItem } from "./digest-content";

export interface BatchDecision<R extends Recipient> {
  send: R[];
  held: DeliveryRecord[];
  digests: DigestEntry[];
}

/** The line a digest lists for an inline send on this channel, and where it leads. */
function inlineDigestItem(n: NotificationRow, channel: ChannelId): DigestItem {
  const parts: Record<string, Record<string, unknown> | undefined> = { web_push: n.content, ...(n.channelContent as Record<string, Record<string, unknown>> | null) };
  const own = parts[channel] ?? Object.values(parts).find((p) => p && Object.keys(p).length);
  return lineOf(own, parts.web_push?.url ?? parts.in_app?.url);
}

function lineOf(content: Record<string, unknown> | undefined, fallbackUrl?: unknown): DigestItem {
  const text = content?.title ?? content?.subject ?? content?.text;
  const url = content?.url ?? fallbackUrl;
  return { title: typeof text === "string" ? text.slice(0, 200) : null, url: typeof url === "string" ? url : null };
}

/** The digest lines of this send per user: inline content is the same for everyone; a template
 *  is rendered for each user as the channel would (a render failure lists the item untitled). */
async function digestLines(deps: Deps, n: NotificationRow, channel: ChannelId): Promise<(user: PolicyUser) => Promise<DigestItem>> {
  if (!n.template) {
    const line = inlineDigestItem(n, channel);
    return async () => line;
  }
  const source = await contentSource(deps, n, channel);
  return async (u) => {
    const r = await source.render({ ...u, id: u.id });
    return r.ok ? lineOf(r.content as Record<string, unknown>) : { title: null, url: null };
  };
}

export async function decideBatch<R extends Recipient>(deps: Deps, n: NotificationRow, channel: ChannelId, recipients: R[]): Promise<BatchDecision<R>> {
  const externalIds = [...new Set(recipients.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
  const policy = await loadPolicy(deps.db, n.siteId, externalIds, n.category, n.template?.key ?? null);
  const users = new Map(policy.users.map((u) => [u.externalId, u]));
  const category: CategoryRule | null = policy.category && {
    key: policy.category.key,
    default_enabled: policy.category.defaultEnabled,
    required: policy.category.required,
    channels: policy.category.channels,
    digest: policy.category.digest ?? null,
  };
  const cap = policy.settings?.frequency_cap ?? null;
  const now = deps.now();
  const out: BatchDecision<R> = { send: [], held: [], digests: [] };
  const counted: R[] = [];
  const digested: Array<{ r: R; user: PolicyUser; key: string; until: number }> = [];
  const base = { subscriberId: "", httpStatus: null };
  for (const r of recipients) {
    const user = r.externalId ? users.get(r.externalId) : undefined;
    const d = decide({
      channel,
      category,
      priority: n.priority,
      preferences: user ? (user.preferences as StoredPreferences) : null,
      userTimezone: user?.timezone ?? null,
      siteQuietHours: policy.settings?.quiet_hours ?? null,
      siteTimezone: policy.settings?.timezone ?? "UTC",
      templateDigest: policy.templateDigest,
      frequencyCap: cap,
      isDigest: n.digest !== null,
      localDelivery: n.localDelivery ?? null,
      recipientTimezone: r.timezone ?? null,
      startedAt: n.startedAt ?? now,
      now,
    });
    switch (d.kind) {
      case "send":
        (d.counted ? counted : out.send).push(r);
        break;
      case "skip":
        out.held.push({ ...base, subscriberId: r.id, status: "skipped", reason: d.reason });
        break;
      case "defer":
        out.held.push({ ...base, subscriberId: r.id, status: "deferred", reason: d.reason, releaseAt: d.until });
        break;
      case "digest":
        out.held.push({ ...base, subscriberId: r.id, status: "digested", reason: "digested" });
        digested.push({ r, user: user!, key: d.key, until: d.until });
        break;
      default: {
        const unknown: never = d;
        throw new Error(`unhandled decision ${JSON.stringify(unknown)}`);
      }
    }
  }
  if (counted.length && cap) {
    const allowed = await takeCapSlots(deps.db, n.siteId, n.id, [...new Set(counted.map(capKey))], { perDay: cap.per_day ?? null, perWeek: cap.per_week ?? null }, now);
    for (const r of counted) {
      if (allowed.has(capKey(r))) out.send.push(r);
      else out.held.push({ ...base, subscriberId: r.id, status: "skipped", reason: "capped" });
    }
  }
  if (digested.length) {
    const line = await digestLines(deps, n, channel);
    for (const { r, user, key, until } of digested) {
      out.digests.push({ recipientId: r.id, userId: user.id, digestKey: key, flushAt: until, ...(await line(user)) });
    }
  }
  return out;
}
