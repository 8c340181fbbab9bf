// JSON Schema (OpenAPI 3.1, as @hono/zod-openapi emits it) → valid example values, and
// the mutations the fuzz test applies to them. Generation records every node it made
// (path + schema) so a mutation can aim at a string, a number, an array or an object.
import type { Rng } from "./rng";

export type Schema = Record<string, any>;
export type Path = Array<string | number>;
export interface GenNode {
  path: Path;
  schema: Schema;
}
/** Supplies a realistic value for a property (a fixture id, a real push subscription…), or undefined. */
export type Hint = (name: string, path: Path, schema: Schema) => unknown;

export class SchemaGen {
  constructor(
    private readonly spec: Schema,
    private readonly rng: Rng,
    private readonly hint: Hint = () => undefined,
  ) {}

  resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; s.$ref && i < 20; i++) s = this.spec.components.schemas[String(s.$ref).split("/").pop()!] ?? {};
    return s;
  }

  /** A value the schema accepts (as far as JSON Schema can say: refinements such as "a real
   *  timezone" come from examples and hints). `nodes` receives every generated node. */
  valid(schemaIn: Schema | undefined, nodes: GenNode[] = [], path: Path = []): unknown {
    const schema = this.resolve(schemaIn);
    const name = String([...path].reverse().find((p) => typeof p === "string") ?? "");
    const hinted = path.length ? this.hint(name, path, schema) : undefined;
    const value = hinted !== undefined ? hinted : this.generate(schema, nodes, path);
    nodes.push({ path, schema });
    return value;
  }

  private generate(schema: Schema, nodes: GenNode[], path: Path): unknown {
    const { rng } = this;
    if (schema.const !== undefined) return schema.const;
    if (schema.enum) return rng.pick(schema.enum);
    const union = schema.anyOf ?? schema.oneOf;
    if (union) {
      const nonNull = union.filter((s: Schema) => this.resolve(s).type !== "null");
      return this.valid(rng.chance(0.9) && nonNull.length ? rng.pick(nonNull) : rng.pick(union), nodes, path);
    }
    let type = schema.type;
    if (Array.isArray(type)) {
      const nonNull = type.filter((t: string) => t !== "null");
      type = rng.chance(0.9) && nonNull.length ? rng.pick(nonNull) : rng.pick(type);
    }
    if (schema.example !== undefined && rng.chance(0.5) && type !== "object" && type !== "array") return schema.example;
    switch (type) {
      case "null":
        return null;
      case "boolean":
        return rng.chance(0.5);
      case "integer":
      case "number": {
        const lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
        const hi = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Math.max(lo, 0) + 1000);
        if (hi < lo) return lo;
        const n = rng.pick([lo, hi, lo + (hi - lo) / 2, lo + rng.float() * Math.min(hi - lo, 1e6)]);
        return type === "integer" ? Math.round(n) : n;
      }
      case "string":
        return this.string(schema);
      case "array": {
        const min = schema.minItems ?? 0;
        const max = Math.min(schema.maxItems ?? min + 3, min + 3);
        const n = rng.int(min, Math.max(min, max));
        return Array.from({ length: n }, (_, i) => this.valid(schema.items, nodes, [...path, i]));
      }
      case "object":
      default: {
        const out: Record<string, unknown> = {};
        const required = new Set<string>(schema.required ?? []);
        if (required.size === 0 && rng.chance(0.2)) return out; // e.g. a PATCH that changes nothing
        for (const [key, sub] of Object.entries<Schema>(schema.properties ?? {})) {
          if (required.has(key) || rng.chance(0.5)) {
            const v = this.valid(sub, nodes, [...path, key]);
            if (v !== undefined) out[key] = v;
          }
        }
        if (!schema.properties && schema.additionalProperties !== false && type === "object") {
          for (let i = rng.int(0, 3); i > 0; i--) out[rng.string(rng.int(1, 8))] = rng.pick([1, "two", true, null, { nested: [1, 2] }]);
        }
        return out;
      }
    }
  }

  private string(schema: Schema): string {
    const { rng } = this;
    // A small pool: each new address is a new login rate-limit bucket (a Durable Object) on the server.
    if (schema.format === "email") return `fuzz.${rng.int(1, 8)}@example.com`;
    if (schema.format === "uri") return `https://acme.example.com/${rng.string(rng.int(0, 12))}`;
    if (schema.pattern) {
      const re = new RegExp(schema.pattern);
      const candidates = [schema.example, "abc", "news", "USD", "EUR", "2026-01-15", rng.string(8), "A1_b-2"].filter((c) => typeof c === "string");
      const ok = candidates.filter((c) => re.test(c));
      if (ok.length) return rng.pick(ok);
    }
    const min = schema.minLength ?? 0;
    const max = Math.min(schema.maxLength ?? min + 24, min + 24);
    return rng.string(rng.int(Math.max(min, 1), Math.max(min, max, 1)));
  }
}

// ─── Mutations ───────────────────────────────────────────────────────────────

export function getAt(root: unknown, path: Path): unknown {
  let v: any = root;
  for (const p of path) v = v?.[p];
  return v;
}

/** Sets root[path] (own property even for "__proto__"); returns the new root. */
export function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent: any = getAt(root, path.slice(0, -1));
  if (parent === null || typeof parent !== "object") return root;
  Object.defineProperty(parent, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

export function deleteAt(root: unknown, path: Path): void {
  const parent: any = getAt(root, path.slice(0, -1));
  if (parent === null || typeof parent !== "object") return;
  if (Array.isArray(parent)) parent.splice(Number(path[path.length - 1]), 1);
  else delete parent[path[path.length - 1]!];
}

/** Numbers at and beyond the edges of a schema, plus values that break naive code. */
export function edgeNumbers(schema: Schema): number[] {
  const out = [0, -1, 1, 0.5, -0.5, 1e21, -1e21, 1e308, -1e308, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 8.64e15, 8.64e15 + 1];
  const now = Date.now();
  out.push(now, now - 1, now + 60_000, now + 364 * 86_400_000, now + 367 * 86_400_000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
  for (const k of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems"]) {
    const v = schema[k];
    if (typeof v === "number") out.push(v, v - 1, v + 1, v + 0.5);
  }
  return out;
}

/** Strings that break naive code: huge, unicode, control characters, NUL, lone surrogates, injections. */
export function edgeStrings(schema: Schema, rng: Rng): string[] {
  const max = typeof schema.maxLength === "number" ? schema.maxLength : 64;
  return [
    "",
    " ",
    "   \t  ",
    "\u0000",
    `a\u0000b`,
    "\u0001\u0002\u001f\u007f\u0085",
    "line\r\nbreak",
    "\ud800",
    "\udfff lone",
    "e\u0301".repeat(50),
    "😀".repeat(rng.int(1, 300)),
    "עברית \u202e txet desrever \u200b\ufeff",
    "中文字符 テスト 한국어",
    "a".repeat(max),
    "a".repeat(max + 1),
    "é".repeat(max),
    "😀".repeat(max),
    "x".repeat(rng.pick([256, 1025, 4097, 10_000, 70_000])),
    "' OR 1=1 --",
    "\"; drop table sites; --",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "%s%n%x %00 %ZZ",
    "${process.env}",
    "__proto__",
    "constructor",
    "null",
    "undefined",
    "NaN",
    "-1",
    "1e999",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "http://",
    "https://",
    "https://exa mple.com/",
    "https://[::1]:99999/",
    "https://user:pw@example.com/",
    "ftp://example.com/x",
    `https://${"a".repeat(3000)}.example.com/`,
    "https://acme.example.com/\u0000",
    "@example.com",
    "a@b",
    `${"a".repeat(300)}@example.com`,
    "Europe/Nowhere",
    "usd",
  ];
}

/** Something of a different JSON type than `value`. */
export function otherType(value: unknown, rng: Rng): unknown {
  const all: unknown[] = [null, true, false, 0, 1.5, -7, "", "text", [], [1, "a"], {}, { a: 1 }];
  const type = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  return rng.pick(all.filter((v) => type(v) !== type(value)));
}

/** JSON text nested `depth` levels deep (arrays or objects), built as text so no recursion is needed. */
export function deepJson(depth: number, rng: Rng): string {
  if (rng.chance(0.5)) return "[".repeat(depth) + "1" + "]".repeat(depth);
  return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

/** Bodies that are not JSON, or JSON that is not an object. */
export function malformedBodies(valid: string, rng: Rng): string[] {
  const cut = valid.length > 1 ? valid.slice(0, rng.int(1, valid.length - 1)) : "{";
  return [
    "",
    " ",
    cut,
    `${valid}garbage`,
    `${valid},`,
    "{'single': 'quotes'}",
    '{"a":1,}',
    "{a:1}",
    "[1,2,]",
    "NaN",
    "Infinity",
    "undefined",
    "\ufeff" + valid,
    "null",
    "0",
    "-1",
    '"a string"',
    "true",
    "[]",
    "[{}]",
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    "\u0000",
    '{"a":"\u0000"}',
    '{"a":"\\ud800"}',
    '{"a":1e999}',
    '{"a":-0}',
    '{"a":1,"a":2}',
    `{"x":"${"y".repeat(70_000)}"}`,
    `[${"0,".repeat(40_000)}0]`,
  ];
}
