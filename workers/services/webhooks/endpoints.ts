// A site's webhook endpoints: create (the URL checked against the SSRF policy of
// lib/safe-fetch.ts; the whsec_ secret generated here, sealed at rest and shown once), read,
// edit, enable again after Herald disabled one, delete, and rotate the secret with an overlap
// during which the previous one signs too. Secrets are bound to the site and the endpoint
// ("webhook_secret:<id>"), so a sealed value copied to another row does not open.
import { WEBHOOK_ENDPOINTS_PER_SITE_MAX, WEBHOOK_PREVIOUS_SECRET_GRACE_MS, WEBHOOK_SECRET_BYTES, WEBHOOK_SECRET_PREFIX } from "../../config";
import { outboundMessage } from "../../contracts/outbound";
import { WEBHOOK_EVENT_TYPES, type IssuedWebhookEndpoint, type WebhookEndpointView, type WebhookEventType } from "../../contracts/webhook-events";
import * as q from "../../db/queries/webhooks";
import { ApiError, invalidField } from "../../errors";
import { toBase64 } from "../../lib/encoding";
import { envelopeVersion, masterKeyRing, open, seal, type MasterKeyRing } from "../../lib/envelope";
import { newId } from "../../lib/ids";
import { checkUrl, outboundPolicy } from "../../lib/safe-fetch";
import type { Deps } from "../deps";
import { forgetWebhookEndpoints } from "./emit";

export interface EndpointInput {
  url?: string;
  description?: string;
  /** null: every type. */
  event_types?: WebhookEventType[] | null;
  enabled?: boolean;
}

const binding = (siteId: string, endpointId: string) => ({ siteId, purpose: `webhook_secret:${endpointId}` });

/** whsec_ + standard base64, the form the Standard Webhooks libraries decode. */
export const newWebhookSecret = () => WEBHOOK_SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(WEBHOOK_SECRET_BYTES)));

export function endpointView(row: q.WebhookEndpointRow, now: number): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.eventTypes as WebhookEventType[] | null,
    enabled: row.enabled,
    disabled_reason: row.enabled ? null : row.disabledReason,
    disabled_at: row.enabled ? null : row.disabledAt,
    failing_since: row.failingSince,
    secret_hint: row.secretHint,
    previous_secret_valid_until: row.previousSecretEnc && (row.previousSecretExpiresAt ?? 0) > now ? row.previousSecretExpiresAt : null,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

/** The SSRF policy's verdict on the address alone (no DNS yet: every delivery re-checks it). */
function checkEndpointUrl(deps: Deps, url: string): void {
  const verdict = checkUrl(url, new Set(outboundPolicy(deps.env).allowOrigins));
  if ("reason" in verdict) throw invalidField("url", outboundMessage(verdict.reason, { url, ...verdict.params }));
}

/** In catalogue order without repeats; null (every type) stays null. */
const normaliseTypes = (types: WebhookEventType[] | null) => (types === null ? null : WEBHOOK_EVENT_TYPES.filter((t) => types.includes(t)));

async function load(deps: Deps, siteId: string, id: string) {
  const row = await q.findEndpoint(deps.db, siteId, id);
  if (!row) throw new ApiError("not_found", "Webhook endpoint not found.");
  return row;
}

export async function createEndpoint(deps: Deps, siteId: string, input: EndpointInput & { url: string }): Promise<IssuedWebhookEndpoint> {
  checkEndpointUrl(deps, input.url);
  if ((await q.countEndpoints(deps.db, siteId)) >= WEBHOOK_ENDPOINTS_PER_SITE_MAX) {
    throw new ApiError("webhook_limit_reached", `A site can have at most ${WEBHOOK_ENDPOINTS_PER_SITE_MAX} webhook endpoints; delete one first.`);
  }
  const now = deps.now();
  const id = newId("whk", now);
  const secret = newWebhookSecret();
  const ring = await masterKeyRing(deps.env.MASTER_KEYS);
  const row: q.WebhookEndpointRow = {
    id,
    siteId,
    url: input.url,
    description: input.description ?? "",
    eventTypes: normaliseTypes(input.event_types ?? null),
    enabled: input.enabled ?? true,
    secretEnc: await seal(ring, secret, binding(siteId, id)),
    secretHint: secret.slice(-4),
    previousSecretEnc: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    disabledReason: null,
    disabledAt: input.enabled === false ? now : null,
    createdAt: now,
    updatedAt: now,
  };
  await q.insertEndpoint(deps.db, row);
  forgetWebhookEndpoints(siteId);
  return { ...endpointView(row, now), secret };
}

export async function listEndpoints(deps: Deps, siteId: string): Promise<WebhookEndpointView[]> {
  const now = deps.now();
  return (await q.listEndpoints(deps.db, siteId)).map((r) => endpointView(r, now));
}

export const getEndpoint = async (deps: Deps, siteId: string, id: string) => endpointView(await load(deps, siteId, id), deps.now());

/** Applies the given fields. Enabling clears why it was disabled and its failure streak, so it
 *  gets a full WEBHOOK_DISABLE_AFTER_FAILING_MS again; disabling records when (by a person: no reason). */
export async function updateEndpoint(deps: Deps, siteId: string, id: string, input: EndpointInput): Promise<WebhookEndpointView> {
  const current = await load(deps, siteId, id);
  if (input.url !== undefined) checkEndpointUrl(deps, input.url);
  const now = deps.now();
  const patch: Partial<q.WebhookEndpointRow> = { updatedAt: now };
  if (input.url !== undefined) patch.url = input.url;
  if (input.description !== undefined) patch.description = input.description;
  if (input.event_types !== undefined) patch.eventTypes = normaliseTypes(input.event_types);
  if (input.enabled === true && !current.enabled) Object.assign(patch, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
  if (input.enabled === false && current.enabled) Object.assign(patch, { enabled: false, disabledReason: null, disabledAt: now });
  const row = await q.updateEndpoint(deps.db, siteId, id, patch);
  if (!row) throw new ApiError("not_found", "Webhook endpoint not found.");
  forgetWebhookEndpoints(siteId);
  return endpointView(row, now);
}

export async function deleteEndpoint(deps: Deps, siteId: string, id: string): Promise<void> {
  const res = await q.deleteEndpoint(deps.db, siteId, id);
  if (res.meta.changes !== 1) throw new ApiError("not_found", "Webhook endpoint not found.");
  forgetWebhookEndpoints(siteId);
}

/** Issues a new secret, shown once; the current one keeps signing beside it for the grace period. */
export async function rotateSecret(deps: Deps, siteId: string, id: string): Promise<IssuedWebhookEndpoint> {
  const current = await load(deps, siteId, id);
  const now = deps.now();
  const ring = await masterKeyRing(deps.env.MASTER_KEYS);
  const b = binding(siteId, id);
  const secret = newWebhookSecret();
  const row = await q.updateEndpoint(deps.db, siteId, id, {
    secretEnc: await seal(ring, secret, b),
    secretHint: secret.slice(-4),
    // Re-sealed under the newest master key while we hold it open.
    previousSecretEnc: await seal(ring, await open(ring, current.secretEnc, b), b),
    previousSecretExpiresAt: now + WEBHOOK_PREVIOUS_SECRET_GRACE_MS,
    updatedAt: now,
  });
  if (!row) throw new ApiError("not_found", "Webhook endpoint not found.");
  return { ...endpointView(row, now), secret };
}

/** The secrets a delivery is signed with now: the current one, then the previous during its overlap. */
export async function signingSecrets(deps: Deps, row: q.WebhookEndpointRow): Promise<string[]> {
  const ring = await masterKeyRing(deps.env.MASTER_KEYS);
  const b = binding(row.siteId, row.id);
  const secrets = [await open(ring, row.secretEnc, b)];
  if (row.previousSecretEnc && (row.previousSecretExpiresAt ?? 0) > deps.now()) secrets.push(await open(ring, row.previousSecretEnc, b));
  return secrets;
}

/**
 * Re-seals the endpoint secrets of the sites after `afterSiteId` up to `upToSiteId` (null: all
 * the rest) under the newest master key; services/secrets.ts drives the paging. Envelopes
 * already on the newest key are left alone, so a repeated run changes nothing.
 */
export async function resealWebhookSecrets(deps: Deps, ring: MasterKeyRing, afterSiteId: string, upToSiteId: string | null) {
  const failed: Array<{ site_id: string; reason: string }> = [];
  const updates: Parameters<typeof q.updateEndpointSecrets>[1] = [];
  for (const row of await q.endpointSecretsOfSites(deps.db, afterSiteId, upToSiteId)) {
    const envelopes = [row.secretEnc, row.previousSecretEnc].filter((e): e is string => e !== null);
    if (envelopes.every((e) => envelopeVersion(e) === ring.current)) continue;
    const b = binding(row.siteId, row.id);
    try {
      updates.push({
        id: row.id,
        siteId: row.siteId,
        secretEnc: await seal(ring, await open(ring, row.secretEnc, b), b),
        previousSecretEnc: row.previousSecretEnc ? await seal(ring, await open(ring, row.previousSecretEnc, b), b) : null,
      });
    } catch (err) {
      failed.push({ site_id: row.siteId, reason: `webhook endpoint ${row.id}: ${String(err instanceof Error ? err.message : err)}` });
    }
  }
  await q.updateEndpointSecrets(deps.db, updates);
  return { reencrypted: updates.length, failed };
}
