// Digests (issue #9 §3): the decision (decide.ts) sends events of a digest category — or of a
// digest template, keyed "template:<key>" — into a window per (site, user, channel, key) — digest_entries, written with the event's
// `digested` delivery row. When a window ends, the flush (cron/digest-flush.ts, every minute)
// turns it into ONE message to that user on that channel listing the items (digest-content.ts)
// — kind message, to { external_ids: [user] }, marked `digest` so decide() sends it rather than
// digesting it again (quiet hours and opt-outs still apply to it) — written in the same
// transaction that deletes the window's entries, and only while they are all still there: a
// flush run twice, or two overlapping, sends one digest. The plan message follows; if it is
// lost, cron's unplanned-send recovery plans it (cron/scheduled-sends.ts).
import type { ChannelId } from "../../contracts/channels";
import { TEMPLATE_DIGEST_PREFIX } from "../../contracts/preferences";
import { findCategory } from "../../db/queries/categories";
import { findTemplate } from "../../db/queries/templates";
import * as dq from "../../db/queries/digests";
import { newId } from "../../lib/ids";
import { sendMessage } from "../../queues/messages";
import type { Deps } from "../deps";
import { digestContent } from "./digest-content";

export interface FlushResult {
  /** Digest messages written by this run. */
  sent: Array<{ messageId: string; channel: string; items: number }>;
  /** Windows whose user was erased meanwhile: dropped. */
  dropped: number;
}

export async function flushDigests(deps: Deps, limit: number): Promise<FlushResult> {
  const now = deps.now();
  const result: FlushResult = { sent: [], dropped: 0 };
  for (const w of await dq.dueWindows(deps.db, now, limit)) {
    const entries = await dq.windowEntries(deps.db, w, now);
    if (!entries.length) continue; // flushed by another run meanwhile
    const ids = entries.map((e) => e.notificationId);
    const externalId = entries[0]!.externalId;
    if (!externalId) {
      await dq.dropEntries(deps.db, w, ids);
      result.dropped++;
      continue;
    }
    const templateKey = w.digestKey.startsWith(TEMPLATE_DIGEST_PREFIX) ? w.digestKey.slice(TEMPLATE_DIGEST_PREFIX.length) : null;
    const source = templateKey ? await findTemplate(deps.db, w.siteId, templateKey) : await findCategory(deps.db, w.siteId, w.digestKey);
    const channel = w.channel as ChannelId;
    const content = digestContent(channel, source?.name ?? templateKey ?? w.digestKey, entries);
    const id = newId("ntf", now);
    const created = await dq.flushWindow(deps.db, w, ids, {
      id,
      siteId: w.siteId,
      status: "sending",
      kind: "message",
      channels: [channel],
      content: channel === "web_push" ? (content as Record<string, unknown>) : {},
      channelContent: channel === "web_push" ? {} : { [channel]: content },
      template: null,
      data: { digest: { key: w.digestKey, items: ids } },
      // A template's digest has no category: the items' categories were applied to each of them.
      category: templateKey ? null : w.digestKey,
      priority: "normal",
      digest: w.digestKey,
      target: { external_ids: [externalId] },
      scheduledAt: null,
      createdBy: null,
      createdAt: now,
      updatedAt: now,
      startedAt: now,
    });
    if (!created) continue;
    await deps.env.SEND_QUEUE.send(sendMessage.plan(w.siteId, id));
    result.sent.push({ messageId: id, channel, items: entries.length });
  }
  return result;
}
