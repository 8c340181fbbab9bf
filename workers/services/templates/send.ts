// Templates as sends and previews use them. loadTemplateForSend picks the version (pinned, or the
// published one) and parses it once per isolate: versions never change, so a parse cached by
// (template id, version) is never stale, and a template deleted and created again under the same
// key has a new id. renderForRecipient renders one channel for one recipient. A preview goes
// through the same two steps (or the draft, or unsaved content from an editor), so it shows
// exactly what a send would.
import { TEMPLATE_CACHE_MAX_ENTRIES } from "../../config";
import type { PreviewInput, PreviewView, TemplateChannel } from "../../contracts/template";
import { findUser } from "../../db/queries/site-users";
import { findSite } from "../../db/queries/sites";
import * as q from "../../db/queries/templates";
import { ApiError, type ErrorCode, notFound } from "../../errors";
import type { Deps } from "../deps";
import { checkContent, loadTemplate } from "./manage";
import { type CompiledTemplate, type RenderContext, type RenderFailureReason, type RenderResult, compileOrThrow, renderCompiled } from "./render";

export interface TemplateForSend {
  key: string;
  templateId: string;
  /** The version this renders (pin it on the message); null only for a preview's draft. */
  version: number | null;
  compiled: CompiledTemplate;
}

const cache = new Map<string, TemplateForSend>();

function remember(t: TemplateForSend) {
  const id = `${t.templateId}:${t.version}`;
  cache.delete(id);
  cache.set(id, t);
  while (cache.size > TEMPLATE_CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/**
 * The template `key` of the site at `version`, or at its published version when none is given,
 * parsed and ready to render. null when there is no such template, no such version, or nothing
 * published yet (the send fails with template_not_found). One small D1 read on a cache hit.
 */
export async function loadTemplateForSend(deps: Deps, siteId: string, key: string, version?: number): Promise<TemplateForSend | null> {
  const head = await q.findSendable(deps.db, siteId, key);
  const wanted = version ?? head?.publishedVersion;
  if (!head || !wanted) return null;
  const hit = cache.get(`${head.id}:${wanted}`);
  if (hit) {
    remember(hit);
    return hit;
  }
  const row = await q.findVersion(deps.db, siteId, head.id, wanted);
  if (!row) return null;
  const t: TemplateForSend = { key, templateId: head.id, version: row.version, compiled: compileOrThrow(row.content, row.defaultLocale) };
  remember(t);
  return t;
}

/** Renders `channel` for one recipient: { ok, content, locale } or { ok: false, reason, message }. */
export async function renderForRecipient<C extends TemplateChannel>(t: TemplateForSend, channel: C, ctx: RenderContext): Promise<RenderResult<C>> {
  return renderCompiled(t.compiled, channel, ctx);
}

const PREVIEW_ERROR: Record<RenderFailureReason, ErrorCode> = {
  template_missing_variable: "template_missing_variable",
  template_error: "template_render_error",
  template_no_channel: "template_no_channel",
  payload_too_large: "push_payload_too_large",
};

/** Renders what a send would for this channel, locale, user and data; a failure is the 4xx the
 *  send's failure reason stands for, with the field, line and column. */
export async function previewTemplate(deps: Deps, siteId: string, key: string, input: PreviewInput): Promise<PreviewView> {
  let t: TemplateForSend | null;
  if (input.draft || input.locales) {
    const row = await loadTemplate(deps, siteId, key);
    const content = input.locales ? checkContent(input.locales, row.defaultLocale) : row.draft;
    t = { key, templateId: row.id, version: null, compiled: compileOrThrow(content, row.defaultLocale) };
  } else {
    const row = await loadTemplate(deps, siteId, key); // 404 for an unknown key before anything else
    if (input.version === undefined && row.publishedVersion === null) {
      throw new ApiError("template_unpublished", "The template has no published version yet: preview the draft (draft: true) or publish it first.");
    }
    t = await loadTemplateForSend(deps, siteId, key, input.version);
    if (!t) throw notFound(`Version ${input.version} of ${key} does not exist.`);
  }
  let user = input.user ?? null;
  if (input.external_id !== undefined) {
    const stored = await findUser(deps.db, siteId, input.external_id);
    if (!stored) throw notFound("No user of this site has this external_id.");
    user = { external_id: stored.externalId, email: stored.email ?? undefined, phone: stored.phone ?? undefined, locale: stored.locale ?? undefined, timezone: stored.timezone ?? undefined, attributes: stored.attributes };
  }
  const site = await findSite(deps.db, siteId);
  const result = await renderForRecipient(t, input.channel, { locale: input.locale, user, data: input.data ?? {}, pushDefaults: { icon: site?.settings.default_icon ?? null } });
  if (!result.ok) throw new ApiError(PREVIEW_ERROR[result.reason], result.message, result.fields);
  return { channel: input.channel, locale: result.locale, version: t.version, content: result.content as Record<string, unknown> };
}
