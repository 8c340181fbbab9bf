// The Liquid engine template fields are parsed and rendered with (LiquidJS: an interpreter, no
// eval or new Function, so it runs in workerd). Owns the engine's configuration and its limits:
//   • strictVariables: a variable that is not set fails the render, unless `default` comes right
//     after it (lenientIf: `{{ user.name | default: "there" }}`) or it is only tested by if/unless;
//   • strictFilters: an unknown filter is a syntax error;
//   • no file system: include, render and layout are not tags at all, and partials resolve
//     against an empty in-memory map;
//   • bounded: every rendered node counts against TEMPLATE_RENDER_MAX_STEPS (loop iterations
//     too), filters and ranges against TEMPLATE_RENDER_MAX_MEMORY, and a field's output stops at
//     TEMPLATE_RENDER_MAX_OUTPUT_CHARS. LiquidJS's renderLimit is a wall-clock limit, and the
//     clock does not move while a Worker computes, so it is not used.
// The email html field is parsed by a second engine that HTML-escapes every output
// (outputEscape; `| raw` opts out); text, SMS and push fields are not escaped.
// Errors become TemplateFieldError with the 1-based line and column LiquidJS reports.
import { Context, type Emitter, Liquid, type Template, toValue, toValueSync } from "liquidjs";
import { TEMPLATE_RENDER_MAX_MEMORY, TEMPLATE_RENDER_MAX_OUTPUT_CHARS, TEMPLATE_RENDER_MAX_STEPS } from "../../config";
import { EMAIL_BODY_MAX_CHARS } from "../../contracts/message-content";

export type FieldErrorKind = "syntax" | "missing_variable" | "render";

/** A field that does not parse or render, with where (line and column within the field). */
export class TemplateFieldError extends Error {
  /** The field's path in the template (locales.<locale>.<channel>.<field>), once known. */
  path?: string;
  constructor(
    readonly kind: FieldErrorKind,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** Parsed once, rendered per recipient. */
export interface ParsedField {
  templates: Template[];
}

const FILE_TAGS = ["include", "render", "layout"];

function makeEngine(html: boolean): Liquid {
  const engine = new Liquid({
    strictVariables: true,
    lenientIf: true,
    strictFilters: true,
    ownPropertyOnly: true,
    templates: {},
    relativeReference: false,
    dynamicPartials: false,
    timezoneOffset: 0,
    parseLimit: EMAIL_BODY_MAX_CHARS,
    memoryLimit: TEMPLATE_RENDER_MAX_MEMORY,
    ...(html ? { outputEscape: "escape" as const } : {}),
  });
  for (const tag of FILE_TAGS) delete engine.tags[tag];
  // Every block body (loop iteration, if branch, capture…) renders through here: count its nodes.
  const renderer = engine.renderer;
  const renderTemplates = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = function* (templates: Template[], ctx: Context, emitter?: Emitter) {
    chargeSteps(ctx, Math.max(1, templates.length));
    return yield* renderTemplates(templates, ctx, emitter ?? new CappedEmitter());
  };
  return engine;
}

const plain = makeEngine(false);
const escaping = makeEngine(true);

const steps = new WeakMap<object, number>();
function chargeSteps(ctx: object, n: number) {
  const used = (steps.get(ctx) ?? 0) + n;
  if (used > TEMPLATE_RENDER_MAX_STEPS) throw new Error(`the template does more than ${TEMPLATE_RENDER_MAX_STEPS.toLocaleString("en-US")} steps (a loop too long?)`);
  steps.set(ctx, used);
}

function text(v: unknown): string {
  const value = toValue(v);
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(text).join("");
  return String(value);
}

/** LiquidJS's string emitter, stopping at the output cap instead of growing without end. */
class CappedEmitter implements Emitter {
  buffer = "";
  write(html: unknown) {
    this.buffer += text(html);
    if (this.buffer.length > TEMPLATE_RENDER_MAX_OUTPUT_CHARS) {
      throw new Error(`the output is longer than ${TEMPLATE_RENDER_MAX_OUTPUT_CHARS.toLocaleString("en-US")} characters`);
    }
  }
}

/** "undefined variable: user.nick, line:1, col:7" → its parts. */
function locate(err: unknown): { name: string; detail: string; line?: number; column?: number; cause: unknown } {
  const e = err as { name?: string; message?: string; token?: { getPosition?: () => [number, number] }; originalError?: unknown };
  const position = typeof e?.token?.getPosition === "function" ? e.token.getPosition() : undefined;
  const detail = String(e?.message ?? err)
    .split("\n")[0]!
    .replace(/, line:\d+, col:\d+$/, "");
  return { name: e?.name ?? "Error", detail, line: position?.[0], column: position?.[1], cause: e?.originalError };
}

const at = (line?: number, column?: number) => (line ? `Line ${line}, column ${column ?? 1}: ` : "");
const sentence = (s: string) => {
  const t = s.trim().replace(/[.]$/, "");
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}.`;
};

function syntaxError(err: unknown): TemplateFieldError {
  const { detail, line, column } = locate(err);
  const tag = /tag "?(include|render|layout)"? not found/.exec(detail)?.[1];
  const message = tag ? `{% ${tag} %} is not available: a template cannot include other files` : detail;
  return new TemplateFieldError("syntax", `${at(line, column)}${sentence(message)}`, line, column);
}

function renderError(err: unknown): TemplateFieldError {
  const { name, detail, line, column } = locate(err);
  if (name === "UndefinedVariableError") {
    const variable = /undefined variable: (.+)$/.exec(detail)?.[1] ?? "a variable";
    const source = variable.startsWith("user.") ? "Set it on the user" : variable.startsWith("data.") ? "Pass it in the message's data" : "Use user.… or data.…";
    return new TemplateFieldError(
      "missing_variable",
      `${at(line, column)}${variable} is not set. ${source}, or add a default right after it: {{ ${variable} | default: "…" }}.`,
      line,
      column,
    );
  }
  const message = /memory alloc limit exceeded/.test(detail)
    ? `the template builds more than ${TEMPLATE_RENDER_MAX_MEMORY.toLocaleString("en-US")} characters of lists and text (a range or loop too large?)`
    : detail;
  return new TemplateFieldError("render", `${at(line, column)}${sentence(message)}`, line, column);
}

/** Parses one field; html: the email body, whose outputs are HTML-escaped. */
export function parseField(source: string, html = false): ParsedField {
  try {
    return { templates: (html ? escaping : plain).parse(source) };
  } catch (err) {
    throw syntaxError(err);
  }
}

/**
 * Renders one parsed field with these variables. lenient: variables that are not set render
 * as nothing instead of failing (the static part of a template, measured at publish).
 */
export function renderField(field: ParsedField, scope: Record<string, unknown>, lenient = false): string {
  const ctx = new Context(scope, plain.options, { sync: true, strictVariables: !lenient }, { liquid: plain });
  const emitter = new CappedEmitter();
  try {
    // The parsed templates keep the engine that parsed them (escaping or not); the context only
    // carries the variables and limits, which both engines share.
    toValueSync(plain.renderer.renderTemplates(field.templates, ctx, emitter));
    return emitter.buffer;
  } catch (err) {
    throw renderError(err);
  }
}
