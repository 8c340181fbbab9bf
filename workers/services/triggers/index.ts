// Inbound webhook triggers (issue #10 §6). A site creates a trigger and gets a URL
// (POST /hooks/{token}; the token is random, stored as its SHA-256) and a signing secret (sealed
// at rest, shown once). A call goes:
//
//   token → trigger (404 unknown or disabled) → per-trigger rate limit (429) → signature, unless
//   the trigger is token_only: X-Herald-Signature t=…,v1=… (lib/trigger-signature.ts) over the raw
//   body, t within TRIGGER_SIGNATURE_TOLERANCE_S (401 signature_expired), v1 matching (401
//   signature_invalid), not seen before in the window (409 signature_replayed) → the mapping:
//   recipients from the payload (external_id_path) or a fixed target, content rendered with
//   Liquid over { payload } (or a published template with the payload as its data) — what is
//   missing is a 422 naming the field → idempotency by the Idempotency-Key header, or by the value
//   at the mapping's idempotency_path (a repeat answers the first call's response, sends nothing)
//   → services/messages createMessage: the normal send path, so preferences and caps apply.
//
// Every call, accepted or not, goes to the trigger's log (the newest TRIGGER_LOG_KEEP): status,
// outcome, the error and its field, the rendered message.
import { TRIGGER_LOG_KEEP, TRIGGER_RATE_DEFAULT_PER_MINUTE, TRIGGER_SIGNATURE_TOLERANCE_S } from "../../config";
import type { MessageContent } from "../../contracts/message-content";
import { MessageContentSchema } from "../../contracts/message-content";
import type { Target } from "../../contracts/target";
import type { TriggerCallView, TriggerInput, TriggerMapping, TriggerView } from "../../contracts/triggers";
import { findCategory } from "../../db/queries/categories";
import * as q from "../../db/queries/triggers";
import { ApiError, invalidField } from "../../errors";
import { sha256Hex, toBase64Url } from "../../lib/encoding";
import { envelopeVersion, type MasterKeyRing, masterKeyRing, open, seal } from "../../lib/envelope";
import { newId } from "../../lib/ids";
import { matchingSignature, parseSignature } from "../../lib/trigger-signature";
import type { Deps } from "../deps";
import { withIdempotency } from "../idempotency";
import { createMessage } from "../messages";
import { enforceRateLimits } from "../rate-limit";
import { resolveTarget } from "../segments";
import { TemplateFieldError, parseField, renderField } from "../templates/engine";
import { loadTemplateForSend } from "../templates";

const binding = (siteId: string, id: string) => ({ siteId, purpose: `trigger_secret:${id}` });
const random = (bytes: number) => toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));

function view(t: q.TriggerRow, last: { at: number; status: number } | null): TriggerView {
  return {
    id: t.id,
    name: t.name,
    mode: t.mode,
    mapping: t.mapping,
    rate_limit_per_minute: t.ratePerMinute,
    enabled: t.enabled,
    url_hint: t.tokenHint,
    secret_hint: t.secretHint,
    last_call: last,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

/** Every Liquid field of the content parses; the template, segment and category exist. */
async function checkMapping(deps: Deps, siteId: string, m: TriggerMapping) {
  for (const [channel, part] of Object.entries(m.content ?? {})) {
    for (const [field, source] of Object.entries(part ?? {})) {
      try {
        parseField(String(source), field === "html");
      } catch (e) {
        const where = e instanceof TemplateFieldError && e.line ? ` (line ${e.line}, column ${e.column})` : "";
        throw new ApiError("template_syntax_error", `${(e as Error).message}${where}`, [{ path: `mapping.content.${channel}.${field}`, message: (e as Error).message }]);
      }
    }
  }
  if (m.template && !(await loadTemplateForSend(deps, siteId, m.template))) throw invalidField("mapping.template", "The site has no published template with this key.");
  if (m.target) await resolveTarget(deps, siteId, m.target, deps.now(), "mapping.target");
  if (m.category && !(await findCategory(deps.db, siteId, m.category))) throw invalidField("mapping.category", "The site has no such category.");
}

async function load(deps: Deps, siteId: string, id: string) {
  const t = await q.findTrigger(deps.db, siteId, id);
  if (!t) throw new ApiError("not_found", "Trigger not found.");
  return t;
}

/** Creates a trigger; the URL's token and the secret are in this answer only. */
export async function createTrigger(deps: Deps, siteId: string, origin: string, input: TriggerInput) {
  await checkMapping(deps, siteId, input.mapping);
  const now = deps.now();
  const id = newId("trg", now);
  const token = random(24);
  const secret = `trgsec_${random(32)}`;
  const row = await q.insertTrigger(deps.db, {
    id,
    siteId,
    name: input.name,
    tokenHash: await sha256Hex(token),
    tokenHint: token.slice(-4),
    mode: input.mode ?? "signed",
    secretEnc: await seal(await masterKeyRing(deps.env.MASTER_KEYS), secret, binding(siteId, id)),
    secretHint: secret.slice(-4),
    mapping: input.mapping,
    ratePerMinute: input.rate_limit_per_minute ?? TRIGGER_RATE_DEFAULT_PER_MINUTE,
    enabled: input.enabled ?? true,
    createdAt: now,
    updatedAt: now,
  });
  return { ...view(row, null), url: `${origin}/hooks/${token}`, secret };
}

export async function listTriggers(deps: Deps, siteId: string) {
  const [rows, last] = await Promise.all([q.listTriggers(deps.db, siteId), q.lastCalls(deps.db, siteId)]);
  const lastBy = new Map(last.map((l) => [l.triggerId, { at: l.at, status: l.status }]));
  return { data: rows.map((t) => view(t, lastBy.get(t.id) ?? null)) };
}

export async function getTrigger(deps: Deps, siteId: string, id: string) {
  const t = await load(deps, siteId, id);
  const [last] = await q.listCalls(deps.db, siteId, id, 1);
  return view(t, last ? { at: last.at, status: last.status } : null);
}

export async function updateTrigger(deps: Deps, siteId: string, id: string, patch: Partial<TriggerInput>) {
  await load(deps, siteId, id);
  if (patch.mapping) await checkMapping(deps, siteId, patch.mapping);
  await q.updateTrigger(deps.db, siteId, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.mode !== undefined ? { mode: patch.mode } : {}),
    ...(patch.mapping ? { mapping: patch.mapping } : {}),
    ...(patch.rate_limit_per_minute !== undefined ? { ratePerMinute: patch.rate_limit_per_minute } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
    updatedAt: deps.now(),
  });
  return getTrigger(deps, siteId, id);
}

export async function deleteTrigger(deps: Deps, siteId: string, id: string) {
  if (!(await q.deleteTrigger(deps.db, siteId, id))) throw new ApiError("not_found", "Trigger not found.");
}

/** A new signing secret (shown once); the old one stops working at once. */
export async function rotateSecret(deps: Deps, siteId: string, id: string) {
  await load(deps, siteId, id);
  const secret = `trgsec_${random(32)}`;
  await q.updateTrigger(deps.db, siteId, id, { secretEnc: await seal(await masterKeyRing(deps.env.MASTER_KEYS), secret, binding(siteId, id)), secretHint: secret.slice(-4), updatedAt: deps.now() });
  return { ...(await getTrigger(deps, siteId, id)), secret };
}

/** Re-seals the trigger secrets of a range of sites under the newest master key (services/secrets.ts). */
export async function resealTriggerSecrets(deps: Deps, ring: MasterKeyRing, afterSiteId: string, upToSiteId: string | null) {
  const failed: Array<{ site_id: string; reason: string }> = [];
  let reencrypted = 0;
  for (const row of await q.secretsOfSites(deps.db, afterSiteId, upToSiteId)) {
    if (envelopeVersion(row.secretEnc) === ring.current) continue;
    const b = binding(row.siteId, row.id);
    try {
      await q.updateTrigger(deps.db, row.siteId, row.id, { secretEnc: await seal(ring, await open(ring, row.secretEnc, b), b) });
      reencrypted++;
    } catch (err) {
      failed.push({ site_id: row.siteId, reason: `trigger ${row.id}: ${String(err instanceof Error ? err.message : err)}` });
    }
  }
  return { reencrypted, failed };
}

export async function listCalls(deps: Deps, siteId: string, id: string): Promise<{ data: TriggerCallView[] }> {
  await load(deps, siteId, id);
  const rows = await q.listCalls(deps.db, siteId, id, TRIGGER_LOG_KEEP);
  return { data: rows.map((r) => ({ id: r.id, at: r.at, status: r.status, outcome: r.outcome as TriggerCallView["outcome"], error: r.error, field: r.field, message_id: r.messageId, rendered: r.rendered ?? null })) };
}

// ─── Mapping a payload ───────────────────────────────────────────────────────

const unmapped = (field: string, message: string) => new ApiError("payload_unmapped", message, [{ path: field, message }]);

/** The value at a dotted path of the payload (array indexes too), or undefined. */
function at(payload: unknown, path: string): unknown {
  let v: unknown = payload;
  for (const k of path.split(".")) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function recipients(m: TriggerMapping, payload: unknown): Target {
  if (m.target) return m.target;
  const path = m.external_id_path!;
  const v = at(payload, path);
  const ids = (Array.isArray(v) ? v : [v]).filter((x) => (typeof x === "string" && x.length > 0) || typeof x === "number").map(String);
  if (!ids.length || ids.length !== (Array.isArray(v) ? v.length : 1)) throw unmapped(`payload.${path}`, `The payload needs ${path}: the user's external id (a string, or a list of them).`);
  return { external_ids: ids.slice(0, 10_000) };
}

function renderContent(m: TriggerMapping, payload: unknown): MessageContent {
  const out: Record<string, Record<string, string>> = {};
  for (const [channel, part] of Object.entries(m.content ?? {})) {
    const rendered: Record<string, string> = {};
    for (const [field, source] of Object.entries(part ?? {})) {
      try {
        rendered[field] = renderField(parseField(String(source), field === "html"), { payload });
      } catch (e) {
        throw unmapped(`mapping.content.${channel}.${field}`, e instanceof TemplateFieldError && e.kind === "missing_variable" ? `${e.message} — the payload does not have it (add it, or use | default).` : (e as Error).message);
      }
    }
    out[channel] = rendered;
  }
  const parsed = MessageContentSchema.safeParse(out);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw unmapped(`content.${issue.path.join(".")}`, `The rendered message is not valid: ${issue.message}`);
  }
  return parsed.data as MessageContent;
}

/** What the trigger's mapping makes of a payload: the message request (throws 422 naming the field). */
export function mapPayload(m: TriggerMapping, payload: unknown) {
  return {
    to: recipients(m, payload),
    ...(m.template ? { template: m.template, data: (payload && typeof payload === "object" ? payload : { value: payload }) as Record<string, unknown> } : { content: renderContent(m, payload) }),
    ...(m.channels ? { channels: m.channels } : {}),
    ...(m.category ? { category: m.category } : {}),
    ...(m.priority ? { priority: m.priority } : {}),
  };
}

// ─── A call ──────────────────────────────────────────────────────────────────

export interface CallResult {
  status: number;
  body: unknown;
}

async function log(deps: Deps, t: q.TriggerRow, r: { status: number; outcome: TriggerCallView["outcome"]; error?: ApiError | null; messageId?: string | null; rendered?: unknown }) {
  const now = deps.now();
  await q.logCall(
    deps.db,
    {
      id: newId("trc", now),
      triggerId: t.id,
      siteId: t.siteId,
      at: now,
      status: r.status,
      outcome: r.outcome,
      error: r.error?.message ?? null,
      field: r.error?.fields?.[0]?.path ?? null,
      messageId: r.messageId ?? null,
      rendered: (r.rendered as Record<string, unknown>) ?? null,
    },
    TRIGGER_LOG_KEEP,
  );
}

/** Checks and sends one call (see the header). Errors are thrown as ApiError after they are logged. */
export async function receiveCall(deps: Deps, token: string, raw: string, headers: Headers): Promise<CallResult> {
  const t = await q.findByTokenHash(deps.db, await sha256Hex(token));
  if (!t || !t.enabled) throw new ApiError("not_found", "No such trigger, or it is switched off.");
  try {
    await enforceRateLimits(deps.env, [{ key: `trigger:${t.id}`, limit: { capacity: t.ratePerMinute, refillPerMinute: t.ratePerMinute } }]);
    if (t.mode === "signed") await checkSignature(deps, t, raw, headers.get("X-Herald-Signature"));
    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch {
      throw new ApiError("invalid_json");
    }
    return await send(deps, t, payload, headers.get("Idempotency-Key") ?? undefined, raw, false);
  } catch (e) {
    if (e instanceof ApiError) await log(deps, t, { status: e.status, outcome: "rejected", error: e });
    throw e;
  }
}

async function checkSignature(deps: Deps, t: q.TriggerRow, raw: string, header: string | null) {
  const sig = parseSignature(header);
  if (!sig) throw new ApiError("signature_invalid", "X-Herald-Signature is missing or not of the form t=<unix seconds>,v1=<hex>.");
  if (Math.abs(deps.now() / 1000 - sig.t) > TRIGGER_SIGNATURE_TOLERANCE_S) throw new ApiError("signature_expired");
  const secret = await open(await masterKeyRing(deps.env.MASTER_KEYS), t.secretEnc, binding(t.siteId, t.id));
  const matched = await matchingSignature(secret, sig, raw);
  if (!matched) throw new ApiError("signature_invalid");
  if (!(await q.rememberSignature(deps.db, t.id, `${sig.t}:${matched}`, deps.now()))) throw new ApiError("signature_replayed");
}

async function send(deps: Deps, t: q.TriggerRow, payload: unknown, headerKey: string | undefined, raw: string, test: boolean): Promise<CallResult> {
  const input = mapPayload(t.mapping, payload);
  const pathKey = t.mapping.idempotency_path ? at(payload, t.mapping.idempotency_path) : undefined;
  const key = headerKey ?? (pathKey === undefined || pathKey === null ? undefined : `${t.mapping.idempotency_path}=${String(pathKey)}`);
  // A key from the payload names the event: the same event again is a repeat whatever else differs.
  const result = await withIdempotency(deps, t.siteId, key === undefined ? undefined : `trigger:${t.id}:${key}`, headerKey ? raw : key ?? raw, async () => {
    const m = await createMessage(deps, t.siteId, null, input);
    return { status: 202, body: { message_id: m.id } };
  });
  const messageId = (result.body as { message_id?: string }).message_id ?? null;
  await log(deps, t, { status: result.status, outcome: test ? "test" : result.replayed ? "duplicate" : "sent", messageId, rendered: input });
  return { status: result.status, body: { ...(result.body as object), duplicate: result.replayed } };
}

/** The dashboard's test: maps a sample payload and, unless dry_run, sends it as a call would (logged as a test). */
export async function testTrigger(deps: Deps, siteId: string, id: string, payload: unknown, dryRun: boolean) {
  const t = await load(deps, siteId, id);
  try {
    if (dryRun) {
      const rendered = mapPayload(t.mapping, payload);
      await log(deps, t, { status: 200, outcome: "test", rendered });
      return { rendered, message_id: null };
    }
    const r = await send(deps, t, payload, undefined, JSON.stringify(payload), true);
    return { rendered: mapPayload(t.mapping, payload), message_id: (r.body as { message_id: string }).message_id };
  } catch (e) {
    if (e instanceof ApiError) await log(deps, t, { status: e.status, outcome: "test", error: e });
    throw e;
  }
}
