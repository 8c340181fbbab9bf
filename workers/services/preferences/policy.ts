// The decision applied to one batch (services/sending/deliver.ts calls it after the channel's
// pendingRecipients, before any send): loads what decide() needs for all the batch's recipients
// in one round trip — their users' preferences and timezones by external id, the send's
// category, the site's settings — decides per recipient, and returns who to send to now and
// the delivery rows (and digest entries) of the others. Recipients without a user (anonymous
// push subscribers, devices of unknown ids) get the site's defaults.
import type { Recipient } from "../../channels/types";
import type { ChannelId } from "../../contracts/channels";
import type { StoredPreferences } from "../../contracts/preferences";
import type { DigestEntry } from "../../db/queries/digests";
import type { DeliveryRecord, NotificationRow } from "../../db/queries/notifications";
import { loadPolicy } from "../../db/queries/preferences";
import type { Deps } from "../deps";
import { type CategoryRule, decide } from "./decide";

export interface BatchDecision<R extends Recipient> {
  send: R[];
  held: DeliveryRecord[];
  digests: DigestEntry[];
}

/** The line a digest lists for this send on this channel, and where it leads. */
function digestItem(n: NotificationRow, channel: ChannelId): { title: string | null; url: string | null } {
  if (n.template) return { title: `Template ${n.template.key}`, url: null };
  const parts: Record<string, Record<string, unknown> | undefined> = { web_push: n.content, ...(n.channelContent as Record<string, Record<string, unknown>> | null) };
  const own = parts[channel] ?? Object.values(parts).find((p) => p && Object.keys(p).length);
  const text = own?.title ?? own?.subject ?? own?.text;
  const url = own?.url ?? parts.web_push?.url ?? parts.in_app?.url;
  return { title: typeof text === "string" ? text.slice(0, 200) : null, url: typeof url === "string" ? url : null };
}

export async function decideBatch<R extends Recipient>(deps: Deps, n: NotificationRow, channel: ChannelId, recipients: R[]): Promise<BatchDecision<R>> {
  const externalIds = [...new Set(recipients.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
  const policy = await loadPolicy(deps.db, n.siteId, externalIds, n.category);
  const users = new Map(policy.users.map((u) => [u.externalId, u]));
  const category: CategoryRule | null = policy.category && {
    key: policy.category.key,
    default_enabled: policy.category.defaultEnabled,
    required: policy.category.required,
    channels: policy.category.channels,
    digest: policy.category.digest ?? null,
  };
  const now = deps.now();
  const out: BatchDecision<R> = { send: [], held: [], digests: [] };
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
      isDigest: n.digest !== null,
      now,
    });
    switch (d.kind) {
      case "send":
        out.send.push(r);
        break;
      case "skip":
        out.held.push({ ...base, subscriberId: r.id, status: "skipped", reason: d.reason });
        break;
      case "defer":
        out.held.push({ ...base, subscriberId: r.id, status: "deferred", reason: d.reason, releaseAt: d.until });
        break;
      case "digest":
        out.held.push({ ...base, subscriberId: r.id, status: "digested", reason: "digested" });
        out.digests.push({ recipientId: r.id, userId: user!.id, digestKey: d.key, flushAt: d.until, ...digestItem(n, channel) });
        break;
      default: {
        const unknown: never = d;
        throw new Error(`unhandled decision ${JSON.stringify(unknown)}`);
      }
    }
  }
  return out;
}
