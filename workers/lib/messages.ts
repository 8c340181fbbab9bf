// Validation messages in plain sentences, in one place:
//   • issueMessage: zod's error map (installed once in lib/hono.ts). One sentence per issue
//     kind ("Must be at least 10 characters.", "Must be one of: draft, scheduled."). Messages
//     written in a schema (.refine(…, "Unknown IANA timezone.")) win over it: zod asks the
//     global map only when the schema gave none.
//   • fieldLabel: a machine path ("settings.default_ttl_s") in words ("Default TTL"), from
//     FIELD_NAMES for names that are not plain English, else from the name itself.
//   • fieldSentence: the top-level message of a validation error, naming the field in words
//     ("Default TTL must be 2,419,200 seconds or less.", "Password must be at least 10 characters.").
// fields[].path stays the machine path and fields[].message the sentence issueMessage made.

/** What zod hands an error map (zod 4 `z.config({ customError })`); only what we read. */
export interface IssueLike {
  code?: string;
  input?: unknown;
  expected?: string;
  origin?: string;
  minimum?: number | bigint | Date;
  maximum?: number | bigint | Date;
  inclusive?: boolean;
  exact?: boolean;
  format?: string;
  divisor?: number;
  values?: readonly unknown[];
  keys?: readonly string[];
  inst?: unknown;
}

/** Names whose words are not the name itself; `unit` is said after numbers in the top-level message.
 *  Keys are a property name or a dotted suffix of a path without indices ("soft_prompt.text"). */
export const FIELD_NAMES: Record<string, { label: string; unit?: string }> = {
  default_ttl_s: { label: "Default TTL", unit: "seconds" },
  default_icon: { label: "Default icon URL" },
  "soft_prompt.enabled": { label: "Soft prompt switch" },
  "soft_prompt.text": { label: "Soft prompt text" },
  "soft_prompt.delay_s": { label: "Soft prompt delay", unit: "seconds" },
  allowed_origins: { label: "Allowed origins" },
  value_per_click: { label: "Value per click" },
  ttl: { label: "TTL", unit: "seconds" },
  url: { label: "URL" },
  icon: { label: "Icon URL" },
  image: { label: "Image URL" },
  badge: { label: "Badge URL" },
  "actions.action": { label: "Button action" },
  "actions.title": { label: "Button title" },
  "actions.url": { label: "Button URL" },
  actions: { label: "Buttons" },
  utm: { label: "UTM parameters" },
  "utm.source": { label: "UTM source" },
  "utm.medium": { label: "UTM medium" },
  "utm.campaign": { label: "UTM campaign" },
  "utm.term": { label: "UTM term" },
  "utm.content": { label: "UTM content" },
  "tags.any": { label: "Tags (any of)" },
  "tags.all": { label: "Tags (all of)" },
  "tags.none": { label: "Tags (none of)" },
  require_interaction: { label: "Require interaction" },
  scheduled_at: { label: "Scheduled time" },
  data: { label: "Data" },
  external_id: { label: "External ID" },
  external_ids: { label: "External IDs" },
  external_id_hash: { label: "External ID hash" },
  subscriber_ids: { label: "Subscriber IDs" },
  site_key: { label: "Site key" },
  p256dh: { label: "Subscription public key (p256dh)" },
  "keys.auth": { label: "Subscription auth secret" },
  expirationTime: { label: "Subscription expiration time" },
  old_endpoint: { label: "Old endpoint" },
  refresh_token: { label: "Refresh token" },
  "idempotency-key": { label: "Idempotency-Key header" },
  "Idempotency-Key": { label: "Idempotency-Key header" },
  siteId: { label: "Site ID" },
  subscriberId: { label: "Subscriber ID" },
  notificationId: { label: "Notification ID" },
  keyId: { label: "API key ID" },
  userId: { label: "User ID" },
  invitationId: { label: "Invitation ID" },
};

// ─── Numbers and lists in words ──────────────────────────────────────────────

/** 2419200 → "2,419,200" (en-US grouping; fractions kept as written). */
export function formatNumber(n: number | bigint): string {
  if (typeof n === "bigint") return n.toLocaleString("en-US");
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? n.toLocaleString("en-US") : String(n);
}

const plural = (n: number | bigint, one: string, many: string) => `${formatNumber(n)} ${Number(n) === 1 ? one : many}`;

function valueWords(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return formatNumber(v);
  return String(v);
}

// ─── zod issue → sentence ────────────────────────────────────────────────────

const TYPE_WORDS: Record<string, string> = {
  string: "Must be text.",
  number: "Must be a number.",
  int: "Must be a whole number.",
  bigint: "Must be a whole number.",
  boolean: "Must be true or false.",
  object: "Must be an object.",
  record: "Must be an object.",
  array: "Must be a list.",
  tuple: "Must be a list.",
  null: "Must be null.",
  date: "Must be a date.",
};

const FORMAT_WORDS: Record<string, string> = {
  email: "Must be a valid email address.",
  uuid: "Must be a UUID.",
  datetime: "Must be a date and time such as 2026-11-01T09:30:00Z.",
  date: "Must be a date such as 2026-11-01.",
  time: "Must be a time such as 09:30.",
  ipv4: "Must be an IPv4 address.",
  ipv6: "Must be an IPv6 address.",
  base64: "Must be base64.",
  base64url: "Must be base64url.",
  regex: "Is not in the expected format.",
};

/** The URL format's protocol rule, read off the schema that raised the issue. */
function urlMessage(inst: unknown): string {
  const protocol = (inst as { _zod?: { def?: { protocol?: RegExp } } } | undefined)?._zod?.def?.protocol;
  if (!protocol) return "Must be a valid URL.";
  const https = protocol.test("https");
  const http = protocol.test("http");
  if (https && http) return "Must be a valid URL starting with https:// or http://.";
  if (https) return "Must be a valid URL starting with https://.";
  return "Must be a valid URL.";
}

function sizeMessage(issue: IssueLike, small: boolean): string {
  const bound = small ? issue.minimum : issue.maximum;
  if (bound instanceof Date) return small ? `Must be on or after ${bound.toISOString()}.` : `Must be on or before ${bound.toISOString()}.`;
  const n = bound ?? 0;
  switch (issue.origin) {
    case "string":
      if (issue.exact) return `Must be exactly ${plural(n, "character", "characters")}.`;
      if (small && Number(n) === 1) return "Must not be empty.";
      return small ? `Must be at least ${plural(n, "character", "characters")}.` : `Must be at most ${plural(n, "character", "characters")}.`;
    case "array":
    case "set":
      if (issue.exact) return `Must have exactly ${plural(n, "item", "items")}.`;
      if (small && Number(n) === 1) return "Must have at least one item.";
      return small ? `Must have at least ${plural(n, "item", "items")}.` : `Must have at most ${plural(n, "item", "items")}.`;
    case "file":
      return small ? `Must be at least ${plural(n, "byte", "bytes")}.` : `Must be at most ${plural(n, "byte", "bytes")}.`;
    default:
      if (issue.exact) return `Must be exactly ${formatNumber(n)}.`;
      if (small) return issue.inclusive === false ? `Must be more than ${formatNumber(n)}.` : `Must be ${formatNumber(n)} or more.`;
      return issue.inclusive === false ? `Must be less than ${formatNumber(n)}.` : `Must be ${formatNumber(n)} or less.`;
  }
}

/** zod's error map: a plain sentence for every issue kind. */
export function issueMessage(issue: IssueLike): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "Required.";
      return TYPE_WORDS[issue.expected ?? ""] ?? `Must be ${issue.expected ?? "something else"}.`;
    case "too_small":
      return sizeMessage(issue, true);
    case "too_big":
      return sizeMessage(issue, false);
    case "invalid_format":
      if (issue.format === "url") return urlMessage(issue.inst);
      return FORMAT_WORDS[issue.format ?? ""] ?? `Must be a valid ${issue.format ?? "value"}.`;
    case "not_multiple_of":
      return `Must be a multiple of ${formatNumber(issue.divisor ?? 1)}.`;
    case "unrecognized_keys":
      return issue.keys && issue.keys.length > 1 ? `Unknown fields: ${issue.keys.join(", ")}.` : "Unknown field.";
    case "invalid_value": {
      const values = issue.values ?? [];
      if (values.length === 1) return `Must be ${valueWords(values[0])}.`;
      return `Must be one of: ${values.map(valueWords).join(", ")}.`;
    }
    case "invalid_union":
      return "Does not match any of the accepted forms.";
    case "invalid_key":
      return "Has a key that is not allowed.";
    case "invalid_element":
      return "Has an item that is not allowed.";
    default:
      return "Is not valid.";
  }
}

// ─── Paths in words ──────────────────────────────────────────────────────────

/** "default_ttl_s" → "Default TTL"-like words from a bare name: snake_case and camelCase split,
 *  "_s"/"_ms" units dropped (the table says them), id/url/utm/ttl upper-cased. */
function humanise(name: string): string {
  const words = name
    .replace(/_(s|ms)$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((w) => (/^(id|url|utm|ttl|ip|api)$/i.test(w) ? w.toUpperCase() : w.toLowerCase()));
  const text = words.join(" ") || name;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lookup(path: string): { label: string; unit?: string } {
  const names = path.split(".").filter((p) => p !== "" && !/^\d+$/.test(p));
  for (let i = 0; i < names.length; i++) {
    const entry = FIELD_NAMES[names.slice(i).join(".")];
    if (entry) return entry;
  }
  const last = names[names.length - 1];
  if (last === undefined) return { label: "Request body" }; // "": the whole JSON body
  return { label: humanise(last), unit: /_s$/.test(last) ? "seconds" : /_ms$/.test(last) ? "milliseconds" : undefined };
}

/** A machine path in words: "settings.default_ttl_s" → "Default TTL", "allowed_origins.2" →
 *  "Allowed origins (item 3)", "" (the whole body) → "Request body". */
export function fieldLabel(path: string): string {
  const { label } = lookup(path);
  const index = /(?:^|\.)(\d+)(?:\.[^.]*)?$/.exec(path);
  return index ? `${label} (item ${Number(index[1]) + 1})` : label;
}

/** The top-level message for a field error: the field in words, then what is wrong with it. */
export function fieldSentence(path: string, message: string): string {
  const { unit } = lookup(path);
  const label = fieldLabel(path);
  if (message === "Unknown field.") return `Unknown field: ${path}.`;
  if (message === "Required.") return `${label} is required.`;
  let text = message;
  // "Must be 2,419,200 or less." → "Must be 2,419,200 seconds or less." for fields with a unit.
  if (unit) text = text.replace(/^(Must be (?:at least |at most |more than |less than |exactly )?)(-?[\d,]+(?:\.\d+)?)/, `$1$2 ${unit}`);
  if (/^(Must|Is|Has|Does) /.test(text)) return `${label} ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  return `${label}: ${text}`;
}
