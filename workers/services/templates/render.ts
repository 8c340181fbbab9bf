// A template's content parsed once (compile) and rendered per recipient (renderForRecipient):
// the language variant from the fallback chain, every field of the channel's part rendered with
// the recipient's variables, the result held to the channel's content schema (the one the
// messages API validates inline content with) and, for web push, to the 4096-byte push limit.
// Variables: user.* (external_id, email, phone, locale, timezone, attributes.*, and each
// attribute again as user.<name> unless that name is taken) and data.* (the message's data).
// A profile field that is null is not set: {{ user.phone }} fails unless given a default.
import type { z } from "@hono/zod-openapi";
import { ApiError, type FieldError } from "../../errors";
import { CHANNEL_CONTENT_SCHEMAS, type ChannelContent } from "../../contracts/message-content";
import { type LocaleVariant, type TemplateChannel, type TemplateLocales } from "../../contracts/template";
import { assertPayloadFits, type PayloadDefaults } from "../sending/payload";
import { type ParsedField, TemplateFieldError, parseField, renderField } from "./engine";
import { localeChain } from "./locales";

/** What each channel renders into. */
export type TemplateContent = ChannelContent;
const CONTENT_SCHEMAS: Record<TemplateChannel, z.ZodType> = CHANNEL_CONTENT_SCHEMAS;

/** A part with every Liquid field parsed; button ids stay literal. */
type Compiled = ParsedField | string | Compiled[] | { [field: string]: Compiled };
type CompiledVariant = Partial<Record<TemplateChannel, { [field: string]: Compiled }>>;

export interface CompiledTemplate {
  defaultLocale: string;
  locales: Map<string, CompiledVariant>;
}

/** Fields that are not templates: a button's id is what the service worker reports back. */
const LITERAL_FIELDS = new Set(["action"]);

function compileValue(value: unknown, path: string, html: boolean, errors: FieldError[]): Compiled {
  if (typeof value === "string") {
    if (LITERAL_FIELDS.has(path.slice(path.lastIndexOf(".") + 1))) return value;
    try {
      return parseField(value, html);
    } catch (err) {
      if (!(err instanceof TemplateFieldError)) throw err;
      errors.push({ path, message: err.message, ...(err.line ? { line: err.line, column: err.column } : {}) });
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => compileValue(v, `${path}.${i}`, html, errors));
  const out: { [field: string]: Compiled } = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = compileValue(v, `${path}.${k}`, html && k === "html", errors);
  return out;
}

/** Parses every field of every locale; the syntax errors of all of them, each at its path
 *  (locales.<locale>.<channel>.<field>) with its line and column. */
export function compile(locales: TemplateLocales, defaultLocale: string): { template: CompiledTemplate; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const compiled = new Map<string, CompiledVariant>();
  for (const [locale, variant] of Object.entries(locales)) {
    const parts: CompiledVariant = {};
    for (const [channel, part] of Object.entries(variant) as [TemplateChannel, object | undefined][]) {
      if (!part) continue;
      // Only the email's html field is HTML; compileValue passes the flag down to it alone.
      parts[channel] = compileValue(part, `locales.${locale}.${channel}`, channel === "email", errors) as { [field: string]: Compiled };
    }
    compiled.set(locale, parts);
  }
  return { template: { defaultLocale, locales: compiled }, errors };
}

/** compile, or the syntax errors as one 400. */
export function compileOrThrow(locales: TemplateLocales, defaultLocale: string): CompiledTemplate {
  const { template, errors } = compile(locales, defaultLocale);
  if (errors.length) throw new ApiError("template_syntax_error", `${errors[0]!.path}: ${errors[0]!.message}`, errors);
  return template;
}

/** The part for a channel: fcm falls back to the same locale's web_push part. */
function partFor(variant: CompiledVariant | undefined, channel: TemplateChannel): { part: { [field: string]: Compiled }; from: TemplateChannel } | null {
  if (variant?.[channel]) return { part: variant[channel]!, from: channel };
  if (channel === "fcm" && variant?.web_push) return { part: variant.web_push, from: "web_push" };
  return null;
}

export interface RecipientUser {
  external_id?: string | null;
  email?: string | null;
  phone?: string | null;
  locale?: string | null;
  timezone?: string | null;
  attributes?: Record<string, unknown> | null;
}

export interface RenderContext {
  /** The recipient's locale (else user.locale; else the template's default). */
  locale?: string | null;
  data?: Record<string, unknown> | null;
  user?: RecipientUser | null;
  /** Web push: the site's default icon, so the size check counts it as the sender will. */
  pushDefaults?: PayloadDefaults;
}

const PROFILE = ["external_id", "email", "phone", "locale", "timezone"] as const;

/** The variables a template sees. */
export function templateScope(ctx: RenderContext): Record<string, unknown> {
  const u = ctx.user ?? {};
  const profile = PROFILE.filter((k) => u[k] !== null && u[k] !== undefined).map((k) => [k, u[k]] as const);
  const attributes = u.attributes ?? {};
  const taken = new Set<string>([...PROFILE, "attributes"]);
  // fromEntries defines own properties: an attribute named __proto__ stays a plain key.
  const user = Object.fromEntries([...Object.entries(attributes).filter(([k]) => !taken.has(k)), ...profile, ["attributes", attributes]]);
  return { user, data: ctx.data ?? {} };
}

function renderValue(value: Compiled, scope: Record<string, unknown>, path: string, lenient: boolean): unknown {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v, i) => renderValue(v, scope, `${path}.${i}`, lenient));
  if ("templates" in value && Array.isArray(value.templates)) {
    try {
      return renderField(value as ParsedField, scope, lenient);
    } catch (err) {
      if (!(err instanceof TemplateFieldError)) throw err;
      if (lenient) return ""; // what cannot render without variables is measured per recipient
      err.path = path;
      throw err;
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const rendered = renderValue(v as Compiled, scope, `${path}.${k}`, lenient);
    if (rendered !== "") out[k] = rendered; // an empty optional field is left out, not sent empty
  }
  return out;
}

/** The web_push part's fields as FCM content. */
const asFcm = (c: Record<string, unknown>) => ({ title: c.title, body: c.body, url: c.url, image: c.image });

export type RenderFailureReason = "template_missing_variable" | "template_error" | "template_no_channel" | "payload_too_large";
export type RenderResult<C extends TemplateChannel> =
  | { ok: true; content: TemplateContent[C]; locale: string }
  | { ok: false; reason: RenderFailureReason; message: string; fields?: FieldError[] };

/** Renders the channel's part for one recipient. Never throws for a template or data problem:
 *  the failure comes back with a reason (contracts/failure-reasons.ts) and a message that names
 *  the field, never the recipient's values. */
export function renderCompiled<C extends TemplateChannel>(t: CompiledTemplate, channel: C, ctx: RenderContext): RenderResult<C> {
  const chain = localeChain(ctx.locale ?? ctx.user?.locale, t.defaultLocale);
  const locale = chain.find((l) => partFor(t.locales.get(l), channel));
  if (!locale) {
    return { ok: false, reason: "template_no_channel", message: `The template has no ${channel} part in ${chain.join(", ")}.` };
  }
  const { part, from } = partFor(t.locales.get(locale), channel)!;
  const base = `locales.${locale}.${from}`;
  let rendered: Record<string, unknown>;
  try {
    rendered = renderValue(part, templateScope(ctx), base, false) as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof TemplateFieldError)) throw err;
    const path = err.path ?? base;
    const field: FieldError = { path, message: err.message, ...(err.line ? { line: err.line, column: err.column } : {}) };
    const reason = err.kind === "missing_variable" ? "template_missing_variable" : "template_error";
    return { ok: false, reason, message: `${path}: ${err.message}`, fields: [field] };
  }
  const content = channel === "fcm" && from === "web_push" ? asFcm(rendered) : rendered;
  const checked = CONTENT_SCHEMAS[channel].safeParse(content);
  if (!checked.success) {
    const fields = checked.error.issues.map((i) => ({ path: [base, ...i.path.map(String)].join("."), message: `Rendered to something ${channel} cannot send: ${i.message}` }));
    return { ok: false, reason: "template_error", message: `${fields[0]!.path}: ${fields[0]!.message}`, fields };
  }
  if (channel === "web_push") {
    try {
      // The longest id a message can have: the size check must hold for whichever id sends it.
      assertPayloadFits("x".repeat(64), checked.data as TemplateContent["web_push"], ctx.pushDefaults ?? { icon: null });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return { ok: false, reason: "payload_too_large", message: err.message, fields: [{ path: base, message: err.message }] };
    }
  }
  return { ok: true, content: checked.data as TemplateContent[C], locale };
}

/** What every recipient of a locale's web push part gets at least: the part rendered with no
 *  variables set (each renders as its default, or nothing). Checked against the push size limit
 *  at publish; the rest is checked per recipient. */
export function assertStaticPushFits(t: CompiledTemplate, pushDefaults: PayloadDefaults = { icon: null }): void {
  for (const [locale, variant] of t.locales) {
    if (!variant.web_push) continue;
    const rendered = renderValue(variant.web_push, { user: {}, data: {} }, `locales.${locale}.web_push`, true) as Record<string, unknown>;
    const content = { title: "", ...rendered } as TemplateContent["web_push"];
    try {
      assertPayloadFits("x".repeat(64), content, pushDefaults);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      throw new ApiError("push_payload_too_large", `The ${locale} web push part: ${err.message}`, [{ path: `locales.${locale}.web_push`, message: err.message }]);
    }
  }
}

export type { LocaleVariant };
