// Message templates (issue #8 §4): versioned, translated, per-channel Liquid parts.
//   manage.ts  the API's operations: create, list, read, edit the draft, delete, publish, roll back, versions
//   send.ts    loadTemplateForSend + renderForRecipient (the send path), preview
//   render.ts  parse a template's content once, render one channel for one recipient, size checks
//   engine.ts  the LiquidJS configuration and its limits; locales.ts the language fallback chain
export { createTemplate, deleteTemplate, getTemplate, getVersion, listTemplates, listVersions, publishTemplate, updateTemplate } from "./manage";
export { loadTemplateForSend, previewTemplate, renderForRecipient, type TemplateForSend } from "./send";
export type { RecipientUser, RenderContext, RenderFailureReason, RenderResult, TemplateContent } from "./render";
