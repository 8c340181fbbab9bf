// What providers report after accepting a message (issue #8 §3): their status callbacks
// (routes/callbacks/*, signature verified there) land here. The delivery row found by the
// provider's message id gets the provider's status; a hard bounce or an address the provider
// calls unusable marks it so later sends skip it. A report that arrives before the sender
// recorded its delivery is held and applied when it does. Safe to run twice: a repeated report
// sets the same values.
import type { ChannelId } from "../../contracts/channels";
import { dropHeldReport, holdReport, setProviderStatus } from "../../db/queries/messages";
import type { HeldReport } from "../../db/queries/notifications";
import { markUsersUnreachable, pruneDevices, type UserAddressChannel } from "../../db/queries/recipients";
import type { Deps } from "../deps";
import { emitDevicesEnded } from "../webhooks/events";
import { emitProviderReports } from "./webhook-events";

export type ProviderStatus = "delivered" | "bounced" | "undelivered" | "failed";

export interface ProviderStatusReport {
  siteId: string;
  integrationId: string;
  channel: ChannelId;
  providerMessageId: string;
  status: ProviderStatus;
  providerCode?: string;
  /** A person-readable detail from the provider (kept out of responses; logged). */
  detail?: string;
  /** The address can never be reached (hard bounce, invalid or landline number). A
   *  "bounced" report implies it. */
  addressUnusable?: boolean;
}

/**
 * Applies the report to the delivery the provider's message id names. Returns false when that
 * delivery is not recorded yet — the callback beat the sender's chunk — and the report is held
 * until the sender records it (applyHeldReports).
 */
export async function recordProviderStatus(deps: Deps, report: ProviderStatusReport): Promise<boolean> {
  if (await apply(deps, report)) return true;
  await holdReport(deps.db, {
    siteId: report.siteId,
    channel: report.channel,
    providerMessageId: report.providerMessageId,
    status: report.status,
    providerCode: report.providerCode ?? null,
    addressUnusable: report.addressUnusable ?? false,
    receivedAt: deps.now(),
  });
  // The sender may have written the delivery between the lookup above and the hold — its chunk
  // then took the held reports before this one was there, and nothing would ever take it (seen
  // as 6 of 200 SMS reports lost in CI). Look once more: if the delivery is there now, apply the
  // report and drop the hold. Applying twice (here and by a chunk) sets the same values.
  if (await apply(deps, report)) {
    await dropHeldReport(deps.db, report.siteId, report.channel, report.providerMessageId);
    return true;
  }
  return false;
}

/** After the sender recorded a chunk: the reports that arrived early for it (taken in the same
 *  D1 batch that wrote the chunk, db/queries/notifications.ts recordChunk). */
export async function applyHeldReports(deps: Deps, siteId: string, channel: ChannelId, held: HeldReport[]): Promise<void> {
  for (const r of held) {
    await apply(deps, {
      siteId,
      integrationId: "",
      channel,
      providerMessageId: r.providerMessageId,
      status: r.status as ProviderStatus,
      ...(r.providerCode ? { providerCode: r.providerCode } : {}),
      addressUnusable: Boolean(r.addressUnusable),
    });
  }
}

async function apply(deps: Deps, report: ProviderStatusReport): Promise<boolean> {
  const now = deps.now();
  const rows = await setProviderStatus(deps.db, report.siteId, report.channel, report.providerMessageId, {
    status: report.status,
    code: report.providerCode ?? null,
    at: now,
  });
  if (!rows.length) return false;
  await emitProviderReports(deps, report.siteId, report.channel, rows, report);
  if (report.status === "bounced" || report.addressUnusable) {
    const ids = rows.map((r) => r.recipientId);
    const mark = { reason: report.status, ...(report.providerCode ? { code: report.providerCode } : {}), at: now };
    if (report.channel === "fcm") await emitDevicesEnded(deps, report.siteId, await pruneDevices(deps.db, report.siteId, ids, now), "gone", now);
    else if (report.channel !== "web_push") await markUsersUnreachable(deps.db, report.siteId, report.channel as UserAddressChannel, ids, mark);
  }
  return true;
}
