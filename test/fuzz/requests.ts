// Request generation for the fuzz test: from an OpenAPI operation and a seeded PRNG, one
// request — clean (to reach the handler) or with one part mutated (path ids, query, auth,
// headers, body), or everything at once ("chaos"). Pure: the fixtures supply the ids.
import * as fx from "./fixtures";
import type { Rng } from "./rng";
import { deepJson, deleteAt, edgeNumbers, edgeStrings, getAt, type GenNode, malformedBodies, otherType, type Schema, type SchemaGen, setAt } from "./schema";

export interface Param {
  name: string;
  required: boolean;
  schema: Schema;
}
export interface Operation {
  method: string;
  path: string;
  op: Schema;
  key: string;
  body?: Schema;
  query: Param[];
  headers: Param[];
  secured: boolean;
}
/** What a request mutates: nothing (to reach handlers), one part of it, or everything at once. */
export type Focus = "clean" | "path" | "query" | "auth" | "headers" | "body" | "chaos";
const FOCUS: ReadonlyArray<readonly [number, Focus]> = [
  [25, "clean"],
  [12, "path"],
  [8, "query"],
  [12, "auth"],
  [13, "headers"],
  [25, "body"],
  [5, "chaos"],
];

export interface FuzzRequest {
  focus: Focus;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  notes: string[];
  /** Which tenant (0/1) the credentials, the site id and the other path ids belong to, when they do. */
  principalTenant?: number;
  siteTenant?: number;
  idTenants: number[];
}

// ─── Request generation ──────────────────────────────────────────────────────

const MALFORMED_IDS_RAW = ["%00", "abc%00def", "sub_%00", "%00%00", "%ZZ", "%", "%2e%2e", "a%2Fb", "%20", "%C3%28", "%E2%80%AE", "..", ".", "%252e", "%u0000"];
const MALFORMED_IDS = [
  "a b",
  "ünï",
  "😀",
  "' OR 1=1 --",
  "a".repeat(65),
  "a".repeat(5000),
  "<script>",
  "\u0000",
  "\u0001",
  "__proto__",
  "constructor",
  "null",
  "-",
  "_",
  "a.b",
  "a;b",
  "a,b",
  "a\"b",
  "a\\b",
  "a?b",
  "a#b",
  "id\n",
];

function idFor(name: string, t: fx.Tenant, rng: Rng, req: FuzzRequest): string {
  if (name === "action") return rng.pick(["read", "unread", "seen", "archive", "unarchive"]); // an inbox item action, nobody's id
  if (name === "siteId") req.siteTenant = t.index;
  else req.idTenants.push(t.index);
  switch (name) {
    case "siteId":
      return t.spareSiteId ?? t.siteId;
    case "subscriberId":
      return rng.pick(t.subscriberIds.length ? t.subscriberIds : ["sub_none"]);
    case "notificationId":
      return rng.pick(t.notificationIds.length ? t.notificationIds : ["ntf_none"]);
    case "keyId":
      return t.keyId;
    case "userId":
      return rng.chance(0.8) ? t.member.userId : t.owner.userId;
    case "invitationId":
      return t.invitationId;
    case "externalId":
      return encodeURIComponent(t.externalId);
    case "deviceId":
      return t.deviceId;
    case "templateKey":
      return t.templateKey;
    case "version":
      return rng.pick(["1", "2"]);
    case "integrationId":
      return t.integrationId;
    case "webhookId":
      return t.webhookId;
    case "deliveryId":
      return t.deliveryId;
    case "messageId":
      return t.messageId;
    case "categoryKey":
      return t.categoryKey;
    case "itemId":
      return t.itemId;
    default:
      return `${name}_unknown`;
  }
}

const wild = (req: FuzzRequest, part: Focus) => req.focus === part || req.focus === "chaos";

function pathFor(o: Operation, rng: Rng, t: fx.Tenant, other: fx.Tenant, req: FuzzRequest): string {
  return o.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!wild(req, "path")) return idFor(name, t, rng, req);
    // The site id mostly valid, so that the guard lets the request reach the route; resource ids mutated more.
    const kind = rng.weighted(
      name === "siteId"
        ? ([[85, "own"], [5, "other"], [3, "missing"], [5, "malformed"], [2, "malformed-raw"]] as const)
        : ([[55, "own"], [10, "other"], [8, "missing"], [15, "malformed"], [12, "malformed-raw"]] as const),
    );
    req.notes.push(`path.${name}=${kind}`);
    switch (kind) {
      case "own":
        return idFor(name, t, rng, req);
      case "other":
        return idFor(name, other, rng, req);
      case "missing":
        return `${rng.pick(["site", "sub", "ntf", "key", "usr"])}_${rng.string(26)}`;
      case "malformed":
        return encode(rng.pick(MALFORMED_IDS));
      case "malformed-raw":
        return rng.pick(MALFORMED_IDS_RAW);
    }
  });
}

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) UTF-8 bytes instead of throwing. */
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.split(/([\ud800-\udfff])/).map((part, i) => (i % 2 ? "%ED%A0%80" : encodeURIComponent(part))).join("");
  }
};

function queryValue(p: Param, rng: Rng, gen: SchemaGen, mutate: boolean): string | string[] | undefined {
  const r = mutate ? rng.float() : rng.float() * 0.8;
  if (r < (p.required ? 0.75 : 0.4)) {
    const v = gen.valid(p.schema);
    return v === undefined || v === null ? undefined : String(v);
  }
  if (r < 0.8) return undefined;
  return rng.weighted<string | string[]>([
    [3, rng.pick(["", " ", "0", "-1", "1.5", "1e9", "NaN", "Infinity", "0x10", " 5", "201", "true", "null", "[]", "{}"])],
    [3, rng.pick(edgeStrings(p.schema, rng))],
    [1, [String(gen.valid(p.schema)), String(gen.valid(p.schema))]],
  ]);
}

function queryFor(o: Operation, rng: Rng, gen: SchemaGen, req: FuzzRequest): string {
  const parts: string[] = [];
  for (const p of o.query) {
    const v = queryValue(p, rng, gen, wild(req, "query"));
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(p.name)}=${encode(one)}`);
  }
  if (wild(req, "query") && rng.chance(0.3)) {
    parts.push(rng.pick(["unknown=1", "limit=%00", "cursor=%ZZ", "a=%00", "=x", "&&", "x", "access_token=garbage", `big=${"x".repeat(9000)}`]));
    req.notes.push("query.extra");
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** Header values a Request takes without complaint: printable ASCII and tab. */
const headerSafe = (v: string) => v.replace(/[^\t\x20-\x7e]/g, "?");

function authFor(o: Operation, rng: Rng, t: fx.Tenant, other: fx.Tenant, req: FuzzRequest): string | undefined {
  const kind = !wild(req, "auth")
    ? o.secured
      ? rng.weighted([
          [70, "owner"],
          [20, "key"],
          [10, "member"],
        ] as const)
      : "none"
    : o.secured
    ? rng.weighted([
        [40, "owner"],
        [20, "key"],
        [14, "member"],
        [6, "other-owner"],
        [4, "other-key"],
        [6, "none"],
        [10, "garbage"],
      ] as const)
    : rng.weighted([
        [85, "none"],
        [10, "garbage"],
        [5, "owner"],
      ] as const);
  req.notes.push(`auth=${kind}`);
  if (kind === "owner" || kind === "key" || kind === "member") req.principalTenant = t.index;
  if (kind === "other-owner" || kind === "other-key") req.principalTenant = other.index;
  switch (kind) {
    case "owner":
      return `Bearer ${t.owner.token}`;
    case "key":
      return `Bearer ${t.apiKey}`;
    case "member":
      return `Bearer ${t.member.token}`;
    case "other-owner":
      return `Bearer ${other.owner.token}`;
    case "other-key":
      return `Bearer ${other.apiKey}`;
    case "none":
      return undefined;
    case "garbage":
      return rng.pick([
        "",
        "Bearer",
        "Bearer ",
        "Bearer garbage",
        "Bearer hk_garbage",
        `Bearer hk_${"A".repeat(40)}`,
        "Basic dXNlcjpwYXNz",
        `bearer ${t.owner.token}`,
        `Bearer ${t.owner.token}x`,
        `Bearer ${t.owner.token.split(".").slice(0, 2).join(".")}.`,
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfMSJ9.",
        `Bearer ${"x".repeat(8000)}`,
        "Bearer a b",
        "Bearer \u00e9\u00e8",
        "Token abc",
      ]);
  }
}

const CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "application/json;",
  "application/vnd.api+json",
  "application/merge-patch+json",
  "json",
  "",
  "application/json, text/plain",
];
const IDEMPOTENCY_KEYS = ["fuzz-key-1", "fuzz-key-2", "fuzz-key-3"];

function headersFor(o: Operation, rng: Rng, t: fx.Tenant, other: fx.Tenant, req: FuzzRequest, hasBody: boolean): Record<string, string> {
  const h: Record<string, string> = {
    "CF-Connecting-IP": rng.weighted([
      // A small pool: every new IP is a new rate-limiter Durable Object (a SQLite file), which costs ~100 ms.
      [wild(req, "headers") ? 70 : 100, `10.77.0.${rng.int(1, 32)}`],
      [10, rng.pick(["", "garbage", "::1", "999.999.999.999", "x".repeat(300)])],
    ]),
  };
  const auth = authFor(o, rng, t, other, req);
  if (auth !== undefined) h.Authorization = auth;
  const odd = wild(req, "headers");
  if (o.headers.some((p) => p.name.toLowerCase() === "x-herald-site-key")) {
    // The end-user inbox: a user's signed identity (mostly this tenant's), sometimes a wrong hash.
    const u = rng.chance(0.85) ? t : other;
    req.siteTenant = u.index;
    h["X-Herald-Site-Key"] = u.siteKey;
    h["X-Herald-External-Id"] = u.externalId;
    h["X-Herald-User-Hash"] = odd && rng.chance(0.4) ? rng.pick(["", "0".repeat(64), u === t ? other.userHash : t.userHash, "zz"]) : u.userHash;
  }
  if (hasBody) {
    const ct = !odd || rng.chance(0.4) ? "application/json" : rng.chance(0.2) ? undefined : rng.pick(CONTENT_TYPES);
    if (ct !== undefined) h["Content-Type"] = ct;
    if (ct !== "application/json") req.notes.push(`content-type=${ct ?? "none"}`);
  } else if (odd && rng.chance(0.3)) {
    h["Content-Type"] = rng.pick(["application/json", "text/plain"]);
  }
  const idem = o.headers.some((p) => p.name.toLowerCase() === "idempotency-key") ? 0.5 : odd ? 0.1 : 0;
  if (rng.chance(idem)) {
    const key = rng.weighted([
      [4, `fuzz-${rng.string(16)}`],
      [odd ? 3 : 1, rng.pick(IDEMPOTENCY_KEYS)],
      [odd ? 3 : 0, rng.pick(["", " ", "a".repeat(255), "a".repeat(256), "a".repeat(5000), "\u00e9t\u00e9", "key with spaces", "\t", "\u007f"])],
    ]);
    h["Idempotency-Key"] = key;
    req.notes.push("idempotency-key");
  }
  if (!o.secured || (odd && rng.chance(0.2))) {
    const origin = rng.weighted([
      [50, undefined],
      [25, fx.SITE_URL],
      [odd ? 10 : 0, "https://evil.example"],
      [5, "http://herald.test"],
      [odd ? 10 : 0, rng.pick(["null", "garbage", "https://acme.example.com:443", "https://ACME.example.com", "file://", "x".repeat(2000)])],
    ]);
    if (origin !== undefined) h.Origin = origin;
  }
  if (!odd) return h;
  if (o.path.endsWith("/live") && rng.chance(0.3)) h.Upgrade = rng.pick(["h2c", "websocket2", "", "tls/1.0"]); // never a real upgrade
  if (rng.chance(0.2)) h.Cookie = rng.pick(["herald_refresh=garbage", `herald_refresh=${"x".repeat(4000)}`, "herald_refresh=", "=;=;"]);
  if (rng.chance(0.1)) h["X-Forwarded-For"] = "1.2.3.4, 5.6.7.8";
  if (rng.chance(0.1)) h.Accept = rng.pick(["text/html", "*/*", "application/xml", ""]);
  return h;
}

const DEEP = "\u0001DEEP\u0001";
type Mutation = "valid" | "missing" | "extra" | "wrong-type" | "number" | "string" | "deep" | "long-array" | "raw" | "proto" | "null";

function bodyFor(o: Operation, rng: Rng, gen: SchemaGen, req: FuzzRequest): string | undefined {
  if (!o.body) {
    if (o.method === "GET" || !wild(req, "body") || !rng.chance(0.3)) return undefined;
    req.notes.push("unexpected-body");
    return rng.pick(["{}", "garbage", '{"a":1}', "", "[]", "x".repeat(70_000)]);
  }
  const nodes: GenNode[] = [];
  let value = gen.valid(o.body, nodes);
  if (!wild(req, "body")) return JSON.stringify(value) ?? "";
  const mutation = rng.weighted<Mutation>([
    [5, "valid"],
    [10, "missing"],
    [8, "extra"],
    [10, "wrong-type"],
    [10, "number"],
    [12, "string"],
    [10, "deep"],
    [5, "long-array"],
    [10, "raw"],
    [3, "proto"],
    [3, "null"],
  ]);
  req.notes.push(`body=${mutation}`);
  const node = (pred: (n: GenNode) => boolean = () => true) => {
    const matching = nodes.filter(pred);
    return matching.length ? rng.pick(matching) : { path: [], schema: gen.resolve(o.body) };
  };
  const typeOf = (n: GenNode) => {
    const s = gen.resolve(n.schema);
    return Array.isArray(s.type) ? s.type : [s.type];
  };
  let deep: string | undefined;
  switch (mutation) {
    case "valid":
      break;
    case "missing": {
      const n = node((x) => typeof getAt(value, x.path) === "object" && getAt(value, x.path) !== null);
      const obj = getAt(value, n.path) as Record<string, unknown>;
      const keys = Object.keys(obj ?? {});
      if (keys.length) deleteAt(value, [...n.path, rng.pick(keys)]);
      break;
    }
    case "extra": {
      const n = node((x) => { const v = getAt(value, x.path); return typeof v === "object" && v !== null && !Array.isArray(v); });
      const key = rng.pick(["extra", "id", "site_id", "role", "created_at", "status", "is_admin", rng.string(rng.int(1, 40)), "", "\u0000", "😀"]);
      value = setAt(value, [...n.path, key], rng.pick([1, "x", true, null, {}, []]));
      break;
    }
    case "wrong-type": {
      const n = node();
      value = setAt(value, n.path, otherType(getAt(value, n.path), rng));
      break;
    }
    case "number": {
      const n = node((x) => typeOf(x).some((t: string) => t === "integer" || t === "number"));
      value = setAt(value, n.path, rng.pick(edgeNumbers(gen.resolve(n.schema))));
      break;
    }
    case "string": {
      const n = node((x) => typeOf(x).includes("string"));
      value = setAt(value, n.path, rng.pick(edgeStrings(gen.resolve(n.schema), rng)));
      break;
    }
    case "deep": {
      // Free-form values (a schema of {} such as notification data) are where depth gets through validation.
      const freeForm = (x: GenNode) => Object.keys(gen.resolve(x.schema)).length === 0 || gen.resolve(x.schema).additionalProperties !== undefined;
      const top = gen.resolve(o.body).properties ?? {};
      const freeTop = Object.keys(top).filter((k) => freeForm({ path: [k], schema: top[k] }));
      if (freeTop.length && rng.chance(0.8) && value && typeof value === "object") value = setAt(value, [rng.pick(freeTop)], DEEP);
      else value = setAt(value, (rng.chance(0.6) ? node(freeForm) : node()).path, DEEP);
      deep = deepJson(rng.pick([8, 33, 65, 1000, 10_000, 10_000, 30_000]), rng);
      break;
    }
    case "long-array": {
      const n = node((x) => typeOf(x).includes("array"));
      const s = gen.resolve(n.schema);
      const item = s.items ? gen.valid(s.items) : 0;
      const len = rng.pick([(s.maxItems ?? 50) + 1, 1_000, 10_001, 40_000]);
      value = setAt(value, n.path, Array.from({ length: len }, () => item));
      break;
    }
    case "raw":
      return rng.pick(malformedBodies(JSON.stringify(value), rng));
    case "proto": {
      const text = JSON.stringify(value);
      return text.startsWith("{") && text.length > 2
        ? `{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},${text.slice(1)}`
        : '{"__proto__":{"admin":true}}';
    }
    case "null": {
      const n = node();
      value = setAt(value, n.path, null);
      break;
    }
  }
  const text = JSON.stringify(value) ?? "";
  return deep ? text.replace(JSON.stringify(DEEP), deep) : text;
}

/** Paths that are in no operation, to check route_not_found and the error shape. */
export function strayRequest(rng: Rng, t: fx.Tenant): FuzzRequest {
  const path = rng.pick([
    "/api/foo",
    "/api/",
    "/api/v2/sites",
    `/api/sites/${t.siteId}/nope`,
    `/api/sites/${t.siteId}/notifications/x/y/z`,
    "/nope",
    "/api/sites/%00/x",
    `/api/auth/${"x".repeat(3000)}`,
    "/api/subscribe/extra",
  ]);
  const method = rng.pick(["GET", "POST", "PUT", "DELETE", "PATCH"]);
  return {
    focus: "path",
    method,
    url: path,
    headers: { Authorization: `Bearer ${t.owner.token}`, "CF-Connecting-IP": "10.77.9.9" },
    notes: ["stray"],
    idTenants: [],
  };
}

export function build(o: Operation, rng: Rng, t: fx.Tenant, other: fx.Tenant, gen: SchemaGen): FuzzRequest {
  // Operations with resource ids in the path get twice the path mutations (ids reach queries and headers).
  const focus = /\{(?!siteId)\w+\}/.test(o.path) ? FOCUS.map(([w, f]) => [f === "path" ? w * 2 : w, f] as const) : FOCUS;
  const req: FuzzRequest = { focus: rng.weighted(focus), method: o.method, url: "", headers: {}, notes: [], idTenants: [] };
  req.notes.push(`focus=${req.focus}`);
  req.url = pathFor(o, rng, t, other, req) + queryFor(o, rng, gen, req);
  req.body = bodyFor(o, rng, gen, req);
  req.headers = headersFor(o, rng, t, other, req, req.body !== undefined);
  for (const k of Object.keys(req.headers)) req.headers[k] = headerSafe(req.headers[k]!);
  return req;
}

/** Realistic values for properties JSON Schema cannot describe (real subscriptions, fixture ids…). */
export function hintsFor(rng: Rng, t: fx.Tenant, other: fx.Tenant) {
  return (name: string): unknown => {
    if (!rng.chance(0.85)) return undefined;
    switch (name) {
      case "site_key":
        return rng.chance(0.9) ? t.siteKey : other.siteKey;
      case "subscription": {
        const s = rng.pick(t.subscriptions);
        return { endpoint: s.endpoint, keys: s.keys };
      }
      case "endpoint":
      case "old_endpoint":
        return rng.pick(t.subscriptions).endpoint;
      case "external_id":
      case "external_id_hash":
        return rng.chance(0.7) ? undefined : rng.string(12);
      case "password":
        return t.owner.password;
      case "email":
        return rng.pick([t.member.email, t.owner.email, other.member.email, `fuzz.${rng.int(1, 8)}@example.com`]);
      case "refresh_token":
        return `hr_${rng.string(40)}`;
      case "scheduled_at":
        return rng.chance(0.3) ? null : Date.now() + rng.int(60_000, 30 * 86_400_000);
      case "subscriber_ids":
        return rng.chance(0.8) ? t.subscriberIds.slice(0, rng.int(1, t.subscriberIds.length || 1)) : undefined;
      case "url":
      case "icon":
      case "image":
      case "badge":
      case "default_icon":
        return `${fx.SITE_URL}/${rng.pick(["", "sale", "icon.png"])}`;
      case "timezone":
        return rng.pick(["UTC", "Europe/Paris", "America/New_York"]);
      case "currency":
        return rng.pick(["USD", "EUR", "GBP"]);
      case "allowed_origins":
        return rng.pick([[], [fx.SITE_URL], [fx.SITE_URL, "http://herald.test"]]);
      case "token":
        return `evt_${rng.string(30)}`;
      default:
        return undefined;
    }
  };
}

/** Every operation of the spec, with what the generator needs to know about it. */
export function operationsOf(spec: Schema): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(spec.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      const params: Schema[] = op.parameters ?? [];
      const param = (p: Schema): Param => ({ name: p.name, required: !!p.required, schema: p.schema ?? {} });
      out.push({
        method: method.toUpperCase(),
        path,
        op,
        key: `${method.toUpperCase()} ${path}`,
        body: op.requestBody?.content?.["application/json"]?.schema,
        query: params.filter((p) => p.in === "query").map(param),
        headers: params.filter((p) => p.in === "header").map(param),
        secured: (op.security ?? []).length > 0,
      });
    }
  }
  return out;
}
