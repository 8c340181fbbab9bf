// What providers report after accepting a message (issue #8 §3): their status callbacks
// (routes/callbacks/*, signature verified there) land here. The delivery row found by the
// provider's message id gets the provider's status; a hard bounce or an address the provider
// calls unusable marks it so later sends skip it. Safe to run twice: a repeated report sets
// the same values.
import type { ChannelId } from "../../contracts/channels";
import { setProviderStatus } from "../../db/queries/messages";
import { markUsersUnreachable, pruneDevices, type UserAddressChannel } from "../../db/queries/recipients";
import type { Deps } from "../deps";
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

/** Returns false when no delivery of this site has that provider message id. */
export async function recordProviderStatus(deps: Deps, report: ProviderStatusReport): Promise<boolean> {
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
    if (report.channel === "fcm") await pruneDevices(deps.db, report.siteId, ids, now);
    else if (report.channel !== "web_push") await markUsersUnreachable(deps.db, report.siteId, report.channel as UserAddressChannel, ids, mark);
  }
  return true;
}
