// Message templates (issue #8 §4): what a template holds and what the API answers about it.
// One definition: the routes validate with these schemas, services/templates parses and renders
// what they describe, and the dashboard's editor imports the types. Every text field of a part
// is a Liquid template (https://liquidjs.com) that renders into the channel's content
// (contracts/message-content.ts), which is validated after rendering.
import { z } from "@hono/zod-openapi";
import { TEMPLATE_FIELD_MAX_CHARS, TEMPLATE_MAX_LOCALES } from "../config";
import { HttpsUrl } from "./common";
import { CONTENT_FIELDS } from "./content";
import { DigestRuleSchema } from "./preferences";
import { EMAIL_BODY_MAX_CHARS } from "./message-content";

/** The channels a template has parts for. FCM renders from the web_push part unless the
 *  locale has its own fcm part. */
export const TEMPLATE_CHANNELS = ["web_push", "in_app", "email", "sms", "whatsapp", "fcm"] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

/** A stable key a send names the template by: lower-case letters, digits, '-' and '_'. */
export const TemplateKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "Must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit.")
  .openapi({ example: "order-shipped" });

export function isLocaleTag(s: string): boolean {
  try {
    return Intl.getCanonicalLocales(s).length === 1;
  } catch {
    return false;
  }
}
/** A BCP 47 language tag (en, en-GB, fr-CA, pt-BR); stored in canonical form. */
export const LocaleTag = z.string().max(35).refine(isLocaleTag, "Must be a language tag like en, fr-CA or pt-BR.").openapi({ example: "fr" });

const Src = z.string().max(TEMPLATE_FIELD_MAX_CHARS);
const Required = Src.min(1);
const EmailBody = z.string().min(1).max(EMAIL_BODY_MAX_CHARS);

/** Button ids stay literal (the service worker reports which was clicked); label and URL are templates. */
const Action = z.strictObject({ action: CONTENT_FIELDS.actions.unwrap().element.shape.action, title: Required, url: Src.optional() });

export const WebPushPart = z
  .strictObject({ title: Required, body: Src.optional(), url: Src.optional(), icon: Src.optional(), image: Src.optional(), actions: z.array(Action).max(2).optional() })
  .openapi("WebPushTemplatePart");
export const InAppPart = z.strictObject({ title: Required, body: Src.optional(), url: Src.optional(), icon: Src.optional() }).openapi("InAppTemplatePart");
export const EmailPart = z
  .strictObject({ subject: Required, html: EmailBody.optional(), text: EmailBody.optional() })
  .refine((p) => p.html !== undefined || p.text !== undefined, { message: "Give html, text or both.", path: ["text"] })
  .openapi("EmailTemplatePart");
export const TextPart = z.strictObject({ text: Required }).openapi("TextTemplatePart");
export const FcmPart = z.strictObject({ title: Required, body: Src.optional(), url: Src.optional(), image: Src.optional() }).openapi("FcmTemplatePart");

export const TEMPLATE_PART_SCHEMAS = { web_push: WebPushPart, in_app: InAppPart, email: EmailPart, sms: TextPart, whatsapp: TextPart, fcm: FcmPart } as const;
export type TemplatePart = { [C in TemplateChannel]: z.infer<(typeof TEMPLATE_PART_SCHEMAS)[C]> };

/** One language's parts: any of the channels. */
export const LocaleVariant = z
  .strictObject({
    web_push: WebPushPart.optional(),
    in_app: InAppPart.optional(),
    email: EmailPart.optional(),
    sms: TextPart.optional(),
    whatsapp: TextPart.optional(),
    fcm: FcmPart.optional(),
  })
  .openapi("TemplateLocaleVariant");
export type LocaleVariant = z.infer<typeof LocaleVariant>;

/** Locale → parts. Keys are language tags; the service stores them canonical. */
export const TemplateLocales = z
  .record(LocaleTag, LocaleVariant)
  .refine((l) => Object.keys(l).length <= TEMPLATE_MAX_LOCALES, `Must have at most ${TEMPLATE_MAX_LOCALES} languages.`)
  .openapi({ example: { en: { web_push: { title: "Your order {{ data.order_id }} has shipped", body: "Hi {{ user.name | default: \"there\" }}!" } } } });
export type TemplateLocales = z.infer<typeof TemplateLocales>;

// ─── Requests ────────────────────────────────────────────────────────────────

const Name = z.string().trim().min(1).max(200).openapi({ example: "Order shipped" });
const Description = z.string().max(1000).nullable().optional();
/** Sends of the template collect into a digest per user and channel (contracts/preferences.ts),
 *  unless their category has a digest rule of its own. Not versioned: it applies to every send
 *  from now on. null: no digest. */
const TemplateDigest = DigestRuleSchema.nullable().optional();

export const CreateTemplateRequest = z
  .strictObject({ key: TemplateKey, name: Name, description: Description, default_locale: LocaleTag.optional(), locales: TemplateLocales.optional(), digest: TemplateDigest })
  .openapi("CreateTemplateRequest");

/** A PATCH changes the draft. locales merges per language and channel: a part given replaces
 *  that part, null removes it; a language set to null is removed with all its parts. */
const VariantPatch = z.strictObject({
  web_push: WebPushPart.nullable().optional(),
  in_app: InAppPart.nullable().optional(),
  email: EmailPart.nullable().optional(),
  sms: TextPart.nullable().optional(),
  whatsapp: TextPart.nullable().optional(),
  fcm: FcmPart.nullable().optional(),
});
export const UpdateTemplateRequest = z
  .strictObject({
    name: Name.optional(),
    description: Description,
    default_locale: LocaleTag.optional(),
    digest: TemplateDigest,
    locales: z.record(LocaleTag, VariantPatch.nullable()).optional().openapi({ example: { fr: { sms: { text: "Commande {{ data.order_id }} expédiée" } } } }),
  })
  .openapi("UpdateTemplateRequest");
export type UpdateTemplateInput = z.infer<typeof UpdateTemplateRequest>;

/** Publish the draft as a new version, or (roll back) an older version's content as a new version. */
export const PublishRequest = z
  .strictObject({ version: z.number().int().min(1).optional().openapi({ description: "Republish this version's content as the new current version (roll back)" }) })
  .openapi("PublishTemplateRequest");

/** Who a preview renders for: inline fields, like a site user's profile. */
export const PreviewUser = z
  .strictObject({
    external_id: z.string().max(200).optional(),
    email: z.string().max(254).optional(),
    phone: z.string().max(20).optional(),
    locale: LocaleTag.optional(),
    timezone: z.string().max(64).optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("PreviewUser");

export const PreviewRequest = z
  .strictObject({
    channel: z.enum(TEMPLATE_CHANNELS),
    locale: LocaleTag.optional().openapi({ description: "Render as for a user with this locale (default: the user's, else the template's default)" }),
    data: z.record(z.string(), z.unknown()).optional().openapi({ example: { order_id: "A-1001" } }),
    user: PreviewUser.optional(),
    external_id: z.string().min(1).max(200).optional().openapi({ description: "Render for this stored user of the site instead of an inline user" }),
    version: z.number().int().min(1).optional(),
    draft: z.boolean().optional().openapi({ description: "Render the unpublished draft" }),
    locales: TemplateLocales.optional().openapi({ description: "Render this unsaved content instead of the stored draft (an editor's live preview); nothing is saved" }),
  })
  .refine((r) => !(r.version !== undefined && r.draft), { message: "Give version or draft, not both.", path: ["draft"] })
  .refine((r) => !(r.version !== undefined && r.locales), { message: "Give version or locales, not both.", path: ["locales"] })
  .refine((r) => !(r.user && r.external_id !== undefined), { message: "Give user or external_id, not both.", path: ["external_id"] })
  .openapi("PreviewTemplateRequest");
export type PreviewInput = z.infer<typeof PreviewRequest>;

// ─── Responses ───────────────────────────────────────────────────────────────

const TemplateFields = {
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  default_locale: z.string(),
  /** The version sends use (the latest published); null until the first publish. */
  current_version: z.number().int().nullable(),
  /** Whether the draft differs from the current version (always true before the first publish). */
  draft_changed: z.boolean(),
  digest: DigestRuleSchema.nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
};

export const TemplateSchema = z.object({ ...TemplateFields, locales: TemplateLocales }).openapi("Template");
export type TemplateView = z.infer<typeof TemplateSchema>;

export const TemplateSummarySchema = z
  .object({ ...TemplateFields, languages: z.array(z.string()), channels: z.array(z.enum(TEMPLATE_CHANNELS)) })
  .openapi("TemplateSummary");
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;

const VersionFields = {
  version: z.number().int(),
  default_locale: z.string(),
  /** The version whose content this one republished (a roll back); null for a published draft. */
  source_version: z.number().int().nullable(),
  /** A user id or an API key id. */
  published_by: z.string().nullable(),
  published_at: z.number().int(),
};
export const TemplateVersionSummarySchema = z
  .object({ ...VersionFields, languages: z.array(z.string()), channels: z.array(z.enum(TEMPLATE_CHANNELS)) })
  .openapi("TemplateVersionSummary");
export type TemplateVersionSummary = z.infer<typeof TemplateVersionSummarySchema>;
export const TemplateVersionSchema = z.object({ ...VersionFields, locales: TemplateLocales }).openapi("TemplateVersion");
export type TemplateVersionView = z.infer<typeof TemplateVersionSchema>;

export const PreviewResponse = z
  .object({
    channel: z.enum(TEMPLATE_CHANNELS),
    /** The language whose part was rendered (after the fallback chain). */
    locale: z.string(),
    /** The version rendered; null for the draft. */
    version: z.number().int().nullable(),
    content: z.record(z.string(), z.unknown()),
  })
  .openapi("TemplatePreview");
export type PreviewView = z.infer<typeof PreviewResponse>;
