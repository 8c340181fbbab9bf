// What the editor shows for each channel's part: its fields, in order, with labels and hints.
// Typed against the Worker's contract: a channel or field added there fails this file's
// type check until the editor knows how to show it.
import type { TemplateChannel, TemplatePart } from "../../../workers/contracts/template";

export interface FieldSpec {
  name: string;
  label: string;
  required?: boolean;
  /** Rows of a textarea; single-line input when absent. */
  rows?: number;
  hint?: string;
}

type Specs = { [C in TemplateChannel]: { label: string; /** In a sentence: "Add SMS for fr". */ noun: string; fields: (FieldSpec & { name: Exclude<keyof TemplatePart[C], "actions"> & string })[]; note?: string } };

export const CHANNELS: Specs = {
  web_push: {
    label: "Web push", noun: "web push",
    fields: [
      { name: "title", label: "Title", required: true },
      { name: "body", label: "Message", rows: 3 },
      { name: "url", label: "Link (opens on click)", hint: "An http(s) URL once rendered, e.g. https://shop.example.com/orders/{{ data.order_id }}" },
      { name: "icon", label: "Icon URL" },
      { name: "image", label: "Image URL" },
    ],
  },
  in_app: {
    label: "In-app", noun: "in-app",
    fields: [
      { name: "title", label: "Title", required: true },
      { name: "body", label: "Message", rows: 3 },
      { name: "url", label: "Link" },
    ],
  },
  email: {
    label: "Email", noun: "email",
    fields: [
      { name: "subject", label: "Subject", required: true },
      { name: "html", label: "HTML body", rows: 10, hint: "Variables are HTML-escaped here; add | raw to insert HTML as is." },
      { name: "text", label: "Plain-text body", rows: 6, hint: "Give HTML, plain text or both." },
    ],
  },
  sms: { label: "SMS", noun: "SMS", fields: [{ name: "text", label: "Text", required: true, rows: 4, hint: "Long texts are split into several SMS by the provider." }] },
  whatsapp: {
    label: "WhatsApp", noun: "WhatsApp",
    fields: [{ name: "text", label: "Text", required: true, rows: 4, hint: "Free text only reaches users inside WhatsApp's 24-hour window." }],
  },
  fcm: {
    label: "Mobile push", noun: "mobile push",
    fields: [
      { name: "title", label: "Title", required: true },
      { name: "body", label: "Message", rows: 3 },
      { name: "url", label: "Link" },
      { name: "image", label: "Image URL" },
    ],
    note: "Without a mobile push part, apps get this language's web push part.",
  },
};

export const CHANNEL_ORDER = Object.keys(CHANNELS) as TemplateChannel[];

/** A part with only the fields that have text (the API takes an optional field as absent, not empty). */
export function cleanPart(part: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(part)) {
    if (typeof v === "string" ? v !== "" : Array.isArray(v) ? v.length > 0 : v !== undefined) out[k] = v;
  }
  return out;
}
