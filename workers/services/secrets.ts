// Re-seals every stored secret (VAPID private keys, identity secrets, integration credentials, webhook and trigger secrets) under the newest master key (after adding a key to
// MASTER_KEYS). Works in pages so each call stays within a Worker's limits; safe to
// run repeatedly — rows already on the newest version are skipped.
import { listIdentitySecrets, updateIdentitySecretEnvelopes } from "../db/queries/identity";
import { listVapidKeys, updateVapidPrivateKey } from "../db/queries/sites";
import { envelopeVersion, masterKeyRing, open, seal } from "../lib/envelope";
import type { Deps } from "./deps";
import { resealIdentitySecret } from "./identity";
import { resealIntegrations } from "./integrations";
import { VAPID_PURPOSE } from "./sites";
import { resealTriggerSecrets } from "./triggers";
import { resealWebhookSecrets } from "./webhooks/endpoints";

export interface ReencryptResult {
  scanned: number;
  reencrypted: number;
  /** Rows that could not be opened with any configured key (left untouched). */
  failed: Array<{ site_id: string; reason: string }>;
  next_cursor: string | null;
  key_version: number;
}

export async function reencryptSecrets(deps: Deps, cursor = "", pageSize = 200): Promise<ReencryptResult> {
  const ring = await masterKeyRing(deps.env.MASTER_KEYS);
  const rows = await listVapidKeys(deps.db, cursor, pageSize);
  let reencrypted = 0;
  const failed: ReencryptResult["failed"] = [];
  for (const row of rows) {
    if (envelopeVersion(row.privateKeyEnc) === ring.current) continue;
    const binding = { siteId: row.siteId, purpose: VAPID_PURPOSE };
    let plaintext: string;
    try {
      plaintext = await open(ring, row.privateKeyEnc, binding);
    } catch (err) {
      failed.push({ site_id: row.siteId, reason: String(err instanceof Error ? err.message : err) });
      continue;
    }
    await updateVapidPrivateKey(deps.db, row.siteId, await seal(ring, plaintext, binding));
    reencrypted++;
  }
  // Identity secrets of the same sites (every site has VAPID keys, so paging by them covers all).
  for (const row of await listIdentitySecrets(deps.db, cursor, pageSize)) {
    const versions = [row.secretEnc, row.previousEnc].filter((e): e is string => e !== null).map(envelopeVersion);
    if (versions.every((v) => v === ring.current)) continue;
    try {
      await updateIdentitySecretEnvelopes(deps.db, row.siteId, await resealIdentitySecret(ring, row));
      reencrypted++;
    } catch (err) {
      failed.push({ site_id: row.siteId, reason: `identity secret: ${String(err instanceof Error ? err.message : err)}` });
    }
  }
  // Provider integrations' credentials of the same range of sites (all of them after the last page).
  const integrationsPage = await resealIntegrations(deps, ring, cursor, rows.length === pageSize ? rows[rows.length - 1]!.siteId : null);
  reencrypted += integrationsPage.reencrypted;
  failed.push(...integrationsPage.failed);
  // Webhook endpoints' signing secrets, paged the same way.
  const webhooksPage = await resealWebhookSecrets(deps, ring, cursor, rows.length === pageSize ? rows[rows.length - 1]!.siteId : null);
  reencrypted += webhooksPage.reencrypted;
  failed.push(...webhooksPage.failed);
  // Inbound triggers' signing secrets, paged the same way.
  const triggersPage = await resealTriggerSecrets(deps, ring, cursor, rows.length === pageSize ? rows[rows.length - 1]!.siteId : null);
  reencrypted += triggersPage.reencrypted;
  failed.push(...triggersPage.failed);
  return {
    scanned: rows.length,
    reencrypted,
    failed,
    next_cursor: rows.length === pageSize ? rows[rows.length - 1]!.siteId : null,
    key_version: ring.current,
  };
}
