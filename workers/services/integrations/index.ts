// A site's provider integrations (issue #8 §3): which outside provider delivers each channel,
// with its credentials sealed (credentials.ts), never returned (credentials_hint: ••••last4),
// replaced whole on rotation. Several per channel, exactly one primary — the first one, until
// another is made primary — and the send path uses the primary (loadPrimaryIntegration).
//
// Deleting is allowed, the primary included: the oldest integration left on its channel takes
// over. With none left, the channel's sends fail "channel_not_configured" (and new messages on it
// are refused up front); a batch already holding the deleted integration's context finishes with it.
import { INTEGRATIONS_PER_SITE_MAX } from "../../config";
import { CHANNEL_LABELS, type ChannelId } from "../../contracts/channels";
import type { IntegrationTestResult, IntegrationView } from "../../contracts/integrations";
import { PROVIDERS, type ProviderId } from "../../contracts/providers";
import * as q from "../../db/queries/integrations";
import { ApiError, type FieldError } from "../../errors";
import { issuesToFields, validationError } from "../../lib/hono";
import type { MasterKeyRing } from "../../lib/envelope";
import { newId } from "../../lib/ids";
import { providerFor } from "../../providers";
import type { Provider, ProviderChannel, ProviderContext } from "../../providers/types";
import type { Deps } from "../deps";
import { providerContext } from "./context";
import { openCredentials, resealCredentials, sealCredentials } from "./credentials";
import { describeResult, isProviderChannel, testMessage } from "./test-send";

export interface IntegrationInput {
  channel: ChannelId;
  provider: ProviderId;
  name: string;
  credentials: unknown;
  settings: unknown;
}

export interface IntegrationPatch {
  name?: string;
  credentials?: unknown;
  settings?: unknown;
  primary?: true;
}

const view = (r: q.IntegrationRow): IntegrationView => ({
  id: r.id,
  channel: r.channel,
  provider: r.provider,
  name: r.name,
  primary: r.isPrimary,
  credentials_hint: r.credentialsHint,
  settings: r.settings,
  last_test: r.lastTestAt !== null ? { at: r.lastTestAt, ok: !!r.lastTestOk, message: r.lastTestMessage ?? "" } : null,
  problem: r.problem ? { message: r.problem, at: r.problemAt ?? r.updatedAt } : null,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

const label = (provider: string) => PROVIDERS[provider as ProviderId]?.label ?? provider;

/** Parses `value` with the provider's schema; its issues become fields under `prefix`. */
function parseWith<T>(schema: Provider<T, unknown>["credentialsSchema"], value: unknown, prefix: string, fields: FieldError[]): T | undefined {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  for (const f of issuesToFields(parsed.error.issues)) fields.push({ path: f.path ? `${prefix}.${f.path}` : prefix, message: f.message });
  return undefined;
}

function implementation(providerId: string, field = "provider"): Provider<unknown, unknown> {
  const provider = providerFor(providerId as ProviderId);
  if (!provider) throw new ApiError("validation_failed", `Herald cannot send through ${label(providerId)} yet.`, [{ path: field, message: "Not available yet." }]);
  return provider;
}

async function load(deps: Deps, siteId: string, id: string) {
  const row = await q.findIntegration(deps.db, siteId, id);
  if (!row) throw new ApiError("not_found", "Integration not found.");
  return row;
}

export async function createIntegration(deps: Deps, siteId: string, input: IntegrationInput): Promise<IntegrationView> {
  const provider = implementation(input.provider);
  if (!(provider.channels as readonly string[]).includes(input.channel)) {
    const serves = provider.channels.map((c) => CHANNEL_LABELS[c]).join(", ");
    throw new ApiError("validation_failed", `${label(input.provider)} delivers ${serves}, not ${CHANNEL_LABELS[input.channel]}: pick a provider for ${CHANNEL_LABELS[input.channel]}.`, [
      { path: "provider", message: `Does not deliver ${CHANNEL_LABELS[input.channel]}.` },
    ]);
  }
  const fields: FieldError[] = [];
  const credentials = parseWith(provider.credentialsSchema, input.credentials, "credentials", fields);
  const settings = parseWith(provider.settingsSchema, input.settings, "settings", fields);
  if (fields.length) throw validationError(fields);
  if ((await q.countIntegrations(deps.db, siteId)) >= INTEGRATIONS_PER_SITE_MAX) {
    throw new ApiError("invalid_state", `A site can have at most ${INTEGRATIONS_PER_SITE_MAX} integrations: delete one it no longer uses first.`);
  }
  const now = deps.now();
  const id = newId("int", now);
  const row = await q.insertIntegration(deps.db, {
    id,
    siteId,
    channel: input.channel,
    provider: input.provider,
    name: input.name,
    credentialsEnc: await sealCredentials(deps.env.MASTER_KEYS, siteId, id, credentials),
    credentialsHint: provider.hint(credentials),
    settings: settings as Record<string, unknown>,
    lastTestAt: null,
    lastTestOk: null,
    lastTestMessage: null,
    problem: null,
    problemAt: null,
    createdAt: now,
    updatedAt: now,
  });
  return view(row!);
}

export const listIntegrations = async (deps: Deps, siteId: string) => (await q.listIntegrations(deps.db, siteId)).map(view);

export const getIntegration = async (deps: Deps, siteId: string, id: string) => view(await load(deps, siteId, id));

/** Renames, rotates the credentials (the new ones replace the old whole), replaces the settings,
 *  or makes the integration its channel's primary. New credentials or settings clear a problem. */
export async function updateIntegration(deps: Deps, siteId: string, id: string, patch: IntegrationPatch): Promise<IntegrationView> {
  const row = await load(deps, siteId, id);
  const provider = implementation(row.provider);
  const now = deps.now();
  const fields: FieldError[] = [];
  const set: Partial<q.IntegrationRow> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.credentials !== undefined) {
    const credentials = parseWith(provider.credentialsSchema, patch.credentials, "credentials", fields);
    if (credentials !== undefined) {
      set.credentialsEnc = await sealCredentials(deps.env.MASTER_KEYS, siteId, id, credentials);
      set.credentialsHint = provider.hint(credentials);
    }
  }
  if (patch.settings !== undefined) {
    const settings = parseWith(provider.settingsSchema, patch.settings, "settings", fields);
    if (settings !== undefined) set.settings = settings as Record<string, unknown>;
  }
  if (fields.length) throw validationError(fields);
  if (set.credentialsEnc !== undefined || set.settings !== undefined) Object.assign(set, { problem: null, problemAt: null });
  if (Object.keys(set).length) {
    // updated_at keys the opened-credentials cache: a rotation is used from the next batch on.
    if (!(await q.updateIntegration(deps.db, siteId, id, { ...set, updatedAt: now }))) throw new ApiError("not_found", "Integration not found.");
  }
  if (patch.primary && !row.isPrimary) await q.makePrimary(deps.db, siteId, row.channel, id, now);
  return getIntegration(deps, siteId, id);
}

export async function deleteIntegration(deps: Deps, siteId: string, id: string): Promise<void> {
  const row = await load(deps, siteId, id);
  if (!(await q.deleteIntegration(deps.db, siteId, row.channel, id, deps.now()))) throw new ApiError("not_found", "Integration not found.");
}

interface Opened {
  row: q.IntegrationRow;
  provider: Provider<unknown, unknown>;
  credentials: unknown;
  settings: unknown;
}

/** The row's credentials opened and both parts parsed by the provider's schemas. */
async function openRow(deps: Deps, row: q.IntegrationRow): Promise<Opened> {
  const provider = implementation(row.provider);
  let stored: unknown;
  try {
    stored = await openCredentials(deps.env.MASTER_KEYS, row, deps.now());
  } catch (err) {
    // A master key removed from MASTER_KEYS before its rows were re-sealed (services/secrets.ts).
    console.error("integration credentials do not open", row.id, err instanceof Error ? err.message : String(err));
    throw new ApiError("invalid_state", `The credentials of "${row.name}" cannot be opened with the configured master keys: enter them again (rotate credentials).`);
  }
  const credentials = provider.credentialsSchema.parse(stored);
  const settings = provider.settingsSchema.parse(row.settings);
  return { row, provider, credentials, settings };
}

/** Sends the fixed test message to `to` through the integration, records and returns the answer. */
export async function testIntegration(deps: Deps, siteId: string, id: string, to: string, requestOrigin?: string): Promise<IntegrationTestResult> {
  const row = await load(deps, siteId, id);
  if (!isProviderChannel(row.channel)) throw new ApiError("invalid_state", "This integration's channel has no test message.");
  const message = testMessage(row.channel as ProviderChannel, to, row.name);
  const { provider, credentials, settings } = await openRow(deps, row);
  const ctx = providerContext(deps, row, credentials, settings, requestOrigin);
  const result = await provider.send(ctx, row.channel as ProviderChannel, message, 1);
  const o = result.outcome;
  const res: IntegrationTestResult = {
    ok: o.kind === "sent",
    outcome: o.kind,
    reason: o.kind === "retry" || o.kind === "failed" ? o.reason : null,
    provider_status: result.httpStatus,
    provider_code: result.providerCode ?? null,
    provider_message_id: result.providerMessageId ?? null,
    message: describeResult(label(row.provider), result),
  };
  const now = deps.now();
  // Not updated_at: the credentials did not change, so the opened-credentials cache stays good.
  await q.updateIntegration(deps.db, siteId, id, {
    lastTestAt: now,
    lastTestOk: res.ok,
    lastTestMessage: res.message,
    // A success shows the setup works again; a failure is shown as the test's own result.
    ...(res.ok ? { problem: null, problemAt: null } : {}),
  });
  return res;
}

export interface LoadedIntegration {
  integrationId: string;
  provider: Provider;
  ctx: ProviderContext<unknown, unknown>;
}

/** The send path's door (channels/provider-channel.ts): the site's primary integration for the
 *  channel with its credentials opened, or null when the channel has none. Status callback URLs
 *  need PUBLIC_URL: sends run in the queue, where there is no request origin to use. */
export async function loadPrimaryIntegration(deps: Deps, siteId: string, channel: ChannelId): Promise<LoadedIntegration | null> {
  const row = await q.findPrimaryIntegration(deps.db, siteId, channel);
  if (!row || !providerFor(row.provider as ProviderId)) return null;
  const { provider, credentials, settings } = await openRow(deps, row);
  return { integrationId: row.id, provider, ctx: providerContext(deps, row, credentials, settings) };
}

/** Shows the site a problem a real send ran into (credentials or sender refused), on the
 *  channel's primary integration, until its credentials or settings change or a test succeeds. */
export async function reportIntegrationProblem(deps: Deps, siteId: string, channel: ChannelId, problem: string): Promise<void> {
  await q.recordProblem(deps.db, siteId, channel, problem, deps.now());
}

/** For a provider's status callback: the integration named in its URL, if it is that provider's,
 *  with what verifying the callback needs. Never tells the caller why not. */
export async function integrationForCallback(deps: Deps, provider: ProviderId, id: string) {
  const row = await q.findIntegrationById(deps.db, id);
  if (!row || row.provider !== provider) return null;
  const opened = await openRow(deps, row);
  return { siteId: row.siteId, integrationId: row.id, channel: row.channel as ChannelId, credentials: opened.credentials, settings: opened.settings };
}

/** Re-seals the credentials of the sites in (afterSiteId, upToSiteId] that are not on the ring's
 *  newest key yet (services/secrets.ts drives the paging by site); one batch of updates. */
export async function resealIntegrations(deps: Deps, ring: MasterKeyRing, afterSiteId: string, upToSiteId: string | null) {
  const failed: Array<{ site_id: string; reason: string }> = [];
  const updates: Array<{ id: string; credentialsEnc: string }> = [];
  for (const row of await q.integrationsToReseal(deps.db, afterSiteId, upToSiteId, ring.current)) {
    try {
      updates.push({ id: row.id, credentialsEnc: await resealCredentials(ring, row) });
    } catch (err) {
      failed.push({ site_id: row.siteId, reason: `integration ${row.id}: ${String(err instanceof Error ? err.message : err)}` });
    }
  }
  await q.updateCredentialEnvelopes(deps.db, updates);
  return { reencrypted: updates.length, failed };
}
