// Fuzz test generated from /openapi.json. For every operation it builds requests from the
// schemas — valid ones, then mutated: missing/extra fields, wrong types, edge numbers,
// huge/unicode/control-character strings, deep nesting, long arrays, malformed JSON,
// wrong content types, odd path ids, query and header mutations — and fails on
//   • any 5xx;
//   • an error body that is not exactly { error: { code, message, fields? } } with a code
//     from the catalogue whose status is the response's status;
//   • a status the operation does not declare in the spec;
//   • a 2xx for another tenant's credentials or ids.
// FUZZ_SEED (default: random) and FUZZ_REQUESTS (default 2,500) come from the environment
// through vitest.config.ts; the seed and every failing request are printed, so
// `FUZZ_SEED=<seed> npx vitest run test/fuzz` replays the run. `npm run fuzz` is the long campaign.
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ERROR_CATALOGUE } from "../../workers/errors";
import { direct as call, fetchWorker } from "./client";
import * as fx from "./fixtures";
import { build, type FuzzRequest, hintsFor, type Operation, operationsOf, strayRequest } from "./requests";
import { randomSeed, Rng } from "./rng";
import { type Schema, SchemaGen } from "./schema";

const fuzzEnv = env as unknown as { FUZZ_SEED?: string; FUZZ_REQUESTS?: string };
const SEED = /^\d+$/.test(fuzzEnv.FUZZ_SEED ?? "") ? Number(fuzzEnv.FUZZ_SEED) >>> 0 : randomSeed();
const REQUESTS = Math.max(1, Number(fuzzEnv.FUZZ_REQUESTS) || 2_500);
/** Each tenant moves to a fresh site this often (requests), so what the fuzzer piles up (notifications
 *  with stats, deliveries, idempotency keys) stays bounded and a long campaign costs the same per request. */
const ROTATE_EVERY = 5_000;
/** Generous: ~25 ms a request on a busy 2-core machine, plus fixtures. */
const TIMEOUT_MS = 120_000 + REQUESTS * 40;

let spec: Schema;
let operations: Operation[] = [];
let tenants: [fx.Tenant, fx.Tenant];
let fetchSpy: { mockRestore(): void } | undefined;

beforeAll(async () => {
  const realFetch = globalThis.fetch;
  // Nothing leaves the test: pushes "succeed", any other outbound fetch (install check) gets a 404.
  fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new Request(input as RequestInfo, init).url;
    if (url.startsWith(fx.PUSH_ORIGIN)) return new Response(null, { status: 201 });
    if (url.startsWith("http://herald.test")) return realFetch(input as RequestInfo, init);
    return new Response("not here", { status: 404 });
  });
  spec = (await call("GET", "/openapi.json")).body;
  operations = operationsOf(spec);
  tenants = [await fx.makeTenant("fuzz-a", 0), await fx.makeTenant("fuzz-b", 1)];
}, 120_000);

afterAll(() => fetchSpy?.mockRestore());

// ─── Checks ──────────────────────────────────────────────────────────────────

const declared = (o: Operation, status: number) => {
  const r = o.op.responses ?? {};
  return String(status) in r || `${String(status)[0]}XX` in r || "default" in r;
};

function checkError(status: number, contentType: string | null, text: string): string[] {
  const problems: string[] = [];
  if (!/^application\/json\b/.test(contentType ?? "")) problems.push(`error Content-Type is ${contentType}`);
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return [...problems, "error body is not JSON"];
  }
  const keys = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.keys(v).sort().join(",") : String(v));
  if (keys(body) !== "error") return [...problems, `error body keys are {${keys(body)}}, want {error}`];
  const e = body.error;
  const k = keys(e);
  if (k !== "code,message" && k !== "code,fields,message") problems.push(`error keys are {${k}}`);
  const entry = (ERROR_CATALOGUE as Record<string, { status: number }>)[e?.code];
  if (!entry) problems.push(`code ${JSON.stringify(e?.code)} is not in the catalogue`);
  else if (entry.status !== status) problems.push(`code ${e.code} has catalogue status ${entry.status}, response is ${status}`);
  if (typeof e?.message !== "string" || !e.message.trim()) problems.push("message is not a non-empty string");
  if ("fields" in (e ?? {})) {
    const ok = Array.isArray(e.fields) && e.fields.length > 0 && e.fields.every((f: any) => keys(f) === "message,path" && typeof f.path === "string" && typeof f.message === "string");
    if (!ok) problems.push(`fields is not a non-empty [{ path, message }]: ${JSON.stringify(e.fields).slice(0, 200)}`);
  }
  return problems;
}

function check(o: Operation | undefined, req: FuzzRequest, status: number, contentType: string | null, text: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`server error ${status}`);
  if (o && !declared(o, status)) problems.push(`status ${status} is not declared (declared: ${Object.keys(o.op.responses ?? {}).join(", ")})`);
  if (status >= 400) problems.push(...checkError(status, contentType, text));
  if (o && status >= 200 && status < 300) {
    const site = req.siteTenant;
    if (site !== undefined && req.principalTenant !== undefined && req.principalTenant !== site) problems.push(`another tenant's credentials got ${status}`);
    if (site !== undefined && req.idTenants.some((i) => i !== site)) problems.push(`another tenant's id got ${status}`);
    if (o.op.responses?.[status]?.content?.["application/json"] && status !== 204) {
      try {
        JSON.parse(text);
      } catch {
        problems.push("2xx body is not JSON");
      }
    }
  }
  if (!o) {
    // Under /api/sites/{siteId} the credentials and the site id are checked first (401, 400, 404).
    const guarded = req.url.startsWith("/api/sites/");
    const code = /"code":"(\w+)"/.exec(text)?.[1];
    if (!guarded && (status !== 404 || code !== "route_not_found")) problems.push(`unknown route answered ${status} ${code}`);
    if (guarded && ![400, 401, 404].includes(status)) problems.push(`unknown route answered ${status}`);
  }
  return problems;
}

// ─── Fixture upkeep ──────────────────────────────────────────────────────────

/** Puts back what a successful destructive request took away, so later requests still reach handlers. */
async function repair(o: Operation, req: FuzzRequest, status: number, text: string): Promise<void> {
  if (status < 200 || status >= 300) return;
  if (`${o.method} ${o.path}` === "POST /api/sites") {
    // Keep the users' site lists short: GET /api/sites and /api/me read every site.
    const id = JSON.parse(text).id as string;
    await call("DELETE", `/api/sites/${id}`, { headers: { Authorization: req.headers.Authorization ?? "" } });
    return;
  }
  if (o.path.startsWith("/api/me/invitations/")) {
    for (const t of tenants) await fx.restoreTeam(t); // someone may have joined or left a team
    return;
  }
  if (req.siteTenant === undefined) return;
  const t = tenants[req.siteTenant]!;
  const m = `${o.method} ${o.path}`;
  if (m === "DELETE /api/sites/{siteId}") return req.url.includes(t.siteId) ? fx.buildSite(t) : undefined;
  if (m === "DELETE /api/sites/{siteId}/api-keys/{keyId}") return fx.newApiKey(t);
  if (o.path.startsWith("/api/sites/{siteId}/members/")) return fx.restoreTeam(t);
  if (m === "DELETE /api/sites/{siteId}/invitations/{invitationId}") return fx.newInvitation(t);
  if (m === "DELETE /api/sites/{siteId}/users/{externalId}") return fx.newUser(t);
  if (m === "DELETE /api/sites/{siteId}/users/{externalId}/devices/{deviceId}") return fx.newDevice(t);
  if (m === "DELETE /api/sites/{siteId}/subscribers/{subscriberId}") {
    const id = decodeURIComponent(req.url.split("/")[5]!.split("?")[0]!);
    t.subscriberIds = t.subscriberIds.filter((s) => s !== id);
    if (t.subscriberIds.length < 2) await fx.addSubscriber(t);
    return;
  }
  if (o.path.startsWith("/api/sites/{siteId}/notifications/{notificationId}") && o.method !== "GET" && o.method !== "PATCH") {
    if (o.method === "DELETE") {
      const id = decodeURIComponent(req.url.split("/")[5]!.split("?")[0]!);
      t.notificationIds = t.notificationIds.filter((n) => n !== id);
    }
    await fx.addNotification(t, req.url.length % 2 === 0);
  }
}

// ─── The run ─────────────────────────────────────────────────────────────────

interface Failure {
  index: number;
  operation: string;
  problems: string[];
  request: string;
  status: number;
  response: string;
}

const clip = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
const show = (r: FuzzRequest) =>
  [
    `${r.method} ${clip(r.url, 300)}`,
    ...Object.entries(r.headers).map(([k, v]) => `${k}: ${k === "Authorization" && v.length > 60 ? `${v.slice(0, 60)}…` : clip(v, 120)}`),
    r.body === undefined ? "(no body)" : `body: ${clip(JSON.stringify(r.body), 600)}`,
    `mutations: ${r.notes.join(" ")}`,
  ].join("\n    ");

describe("fuzz (from /openapi.json)", () => {
  it(
    `survives ${REQUESTS} generated requests without a 5xx, an undocumented status or a malformed error`,
    async () => {
      expect(operations.length).toBeGreaterThanOrEqual(30);
      console.log(`fuzz: seed ${SEED}, ${REQUESTS} requests over ${operations.length} operations (replay: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS} npx vitest run test/fuzz)`);
      const order = [...operations];
      const shuffle = new Rng(SEED, 0xffff);
      for (let i = order.length - 1; i > 0; i--) {
        const j = shuffle.int(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const statuses = new Map<number, number>();
      const byOp = new Map<string, Map<number, number>>();
      const msByOp = new Map<string, number>();
      let window = new Map<string, [number, number]>(); // op → [ms, requests] since the last progress line
      const failures: Failure[] = [];
      const signatures = new Map<string, number>();
      const started = Date.now();

      for (let i = 0; i < REQUESTS; i++) {
        const rng = new Rng(SEED, i);
        const actor = rng.chance(0.5) ? 0 : 1;
        const t = tenants[actor]!;
        const other = tenants[1 - actor]!;
        const stray = rng.chance(0.02);
        const o = stray ? undefined : order[i % order.length]!;
        const gen = new SchemaGen(spec, rng, hintsFor(rng, t, other));
        if (o?.key === "DELETE /api/sites/{siteId}") t.spareSiteId = await fx.spareSite(t);
        const req = o ? build(o, rng, t, other, gen) : strayRequest(rng, t);
        let status: number;
        let text: string;
        let contentType: string | null;
        const t0 = Date.now();
        try {
          const res = await fetchWorker(new Request(`http://herald.test${req.url}`, { method: req.method, headers: req.headers, body: req.body }));
          status = res.status;
          contentType = res.headers.get("Content-Type");
          text = await res.text();
        } catch (err) {
          status = 599;
          contentType = null;
          text = `fetch threw: ${String(err)}`;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const opKey = o?.key ?? "(stray)";
        msByOp.set(opKey, (msByOp.get(opKey) ?? 0) + Date.now() - t0);
        const w = window.get(opKey) ?? [0, 0];
        window.set(opKey, [w[0] + Date.now() - t0, w[1] + 1]);
        const perOp = byOp.get(opKey) ?? new Map<number, number>();
        perOp.set(status, (perOp.get(status) ?? 0) + 1);
        byOp.set(opKey, perOp);

        const problems = check(o, req, status, contentType, text);
        if (problems.length) {
          const signature = `${opKey} ${status} ${problems[0]}`;
          signatures.set(signature, (signatures.get(signature) ?? 0) + 1);
          if (failures.length < 25) failures.push({ index: i, operation: opKey, problems, request: show(req), status, response: clip(text) });
        }
        if (o) await repair(o, req, status, text);
        if (t.spareSiteId) {
          if (status !== 204) await call("DELETE", `/api/sites/${t.spareSiteId}`, { token: t.owner.token });
          t.spareSiteId = undefined;
        }
        if ((i + 1) % ROTATE_EVERY === 0) for (const t of tenants) await fx.rotateSite(t);
        if ((i + 1) % 2_500 === 0 && i + 1 < REQUESTS) {
          const slowest = [...window.entries()].map(([op, [ms, n]]) => [op, ms / n] as const).sort((a, b) => b[1] - a[1]).slice(0, 3);
          console.log(`fuzz: ${i + 1}/${REQUESTS} requests, ${((Date.now() - started) / 1000).toFixed(0)} s; slowest: ${slowest.map(([op, ms]) => `${op} ${ms.toFixed(0)} ms`).join(", ")}`);
          window = new Map();
        }
      }

      const seconds = (Date.now() - started) / 1000;
      const fmt = (m: Map<number, number>) => [...m.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
      console.log(
        [
          `fuzz summary: seed ${SEED}, ${REQUESTS} requests in ${seconds.toFixed(1)} s; statuses ${fmt(statuses)}`,
          ...[...byOp.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([op, m]) => {
            const n = [...m.values()].reduce((a, b) => a + b, 0);
            return `  ${op.padEnd(68)} ${String(Math.round((msByOp.get(op) ?? 0) / n)).padStart(4)} ms  ${fmt(m)}`;
          }),
        ].join("\n"),
      );
      if (failures.length) {
        const report = [
          `fuzz: ${[...signatures.values()].reduce((a, b) => a + b, 0)} failing requests (seed ${SEED}). Kinds:`,
          ...[...signatures.entries()].map(([s, n]) => `  ${n}× ${s}`),
          "First failures:",
          ...failures.map((f) => `  #${f.index} ${f.operation} → ${f.status}: ${f.problems.join("; ")}\n    ${f.request}\n    response: ${f.response}`),
          `Replay: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS} npx vitest run test/fuzz`,
        ].join("\n");
        console.error(report);
        expect.fail(report);
      }
      // Every operation got requests, and the generator reaches handlers (not only validation).
      expect(byOp.size).toBeGreaterThanOrEqual(Math.min(operations.length, REQUESTS));
    },
    TIMEOUT_MS,
  );
});
