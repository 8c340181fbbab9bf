// Regression tests for inputs that used to answer 500, and for the limits that stop them:
// an empty PATCH, a NUL in a path id (it reached Content-Disposition), JSON nested 10,000
// levels, framework HTTP errors, unknown routes, and absurd scheduled_at values.
import { describe, expect, it } from "vitest";
import { FREE_FORM_MAX_BYTES, FREE_FORM_MAX_DEPTH, MAX_JSON_DEPTH } from "../../workers/config";
import { ERROR_CATALOGUE } from "../../workers/errors";
import { browserSubscription } from "../channels/webpush/helpers";
import { call, freshIp, tenant } from "../helpers";

const PUSH = "https://push.test";

async function tenantWithSubscriber(label: string) {
  const t = await tenant(label);
  const sub = await browserSubscription(`${PUSH}/push/${crypto.randomUUID()}`);
  const r = await call("POST", "/api/subscribe", {
    body: { site_key: t.site.site_key, subscription: { endpoint: sub.endpoint, keys: sub.keys }, tags: ["news"] },
    headers: { "CF-Connecting-IP": freshIp() },
  });
  expect(r.status).toBe(201);
  return { ...t, subscriberId: r.body.subscriber_id as string };
}

/** The one error shape, with a catalogue code whose status is the response's. */
function expectError(r: { status: number; body: any }, code: keyof typeof ERROR_CATALOGUE) {
  expect(r.body?.error?.code, JSON.stringify(r.body)).toBe(code);
  expect(r.status).toBe(ERROR_CATALOGUE[code].status);
  expect(Object.keys(r.body)).toEqual(["error"]);
  expect(typeof r.body.error.message).toBe("string");
}

const deep = (levels: number) => '{"a":'.repeat(levels) + "1" + "}".repeat(levels);

describe("inputs that used to answer 500", () => {
  it("answers a PATCH of a subscriber with no fields with the unchanged subscriber", async () => {
    const { owner, site, subscriberId } = await tenantWithSubscriber("empty-patch");
    const before = await call("GET", `/api/sites/${site.id}/subscribers/${subscriberId}`, { token: owner.token });
    const r = await call("PATCH", `/api/sites/${site.id}/subscribers/${subscriberId}`, { token: owner.token, body: {} });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(before.body);
  });

  it("rejects malformed subscriber ids with 400 on export, and names the file after the stored id", async () => {
    const { owner, site, subscriberId } = await tenantWithSubscriber("export-id");
    for (const id of ["%00", `${subscriberId}%00`, "a%20b", "%ZZ", "a".repeat(65), "%22%3B%20x%3D1"]) {
      const r = await call("GET", `/api/sites/${site.id}/subscribers/${id}/export`, { token: owner.token });
      expectError(r, "validation_failed");
      expect(r.body.error.fields).toEqual([{ path: "subscriberId", message: "Must be an id of 1 to 64 letters, digits, '_' or '-'." }]);
      expect(r.headers.get("Content-Disposition")).toBeNull();
    }
    const ok = await call("GET", `/api/sites/${site.id}/subscribers/${subscriberId}/export`, { token: owner.token });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Content-Disposition")).toBe(`attachment; filename="subscriber-${subscriberId}.json"`);
  });

  it("keeps answering 404 to another tenant's well-formed ids, and 400 to a malformed site id", async () => {
    const a = await tenantWithSubscriber("ids-a");
    const b = await tenantWithSubscriber("ids-b");
    const theirs = await call("GET", `/api/sites/${a.site.id}/subscribers/${a.subscriberId}`, { token: b.owner.token });
    expectError(theirs, "not_found");
    const theirSubUnderMySite = await call("GET", `/api/sites/${b.site.id}/subscribers/${a.subscriberId}/export`, { token: b.owner.token });
    expectError(theirSubUnderMySite, "not_found");
    const missing = await call("GET", `/api/sites/${b.site.id}/subscribers/sub_0000000000000000000000000`, { token: b.owner.token });
    expectError(missing, "not_found");
    const badSite = await call("GET", `/api/sites/site%00x/subscribers`, { token: b.owner.token });
    expectError(badSite, "validation_failed");
    expect(badSite.body.error.fields[0].path).toBe("siteId");
    expect(badSite.body.error.message).toBe("Site ID must be an id of 1 to 64 letters, digits, '_' or '-'.");
  });

  it(`turns away a body nested deeper than ${MAX_JSON_DEPTH} levels before any handler runs`, async () => {
    const { owner, site } = await tenant("deep");
    for (const levels of [10_000, MAX_JSON_DEPTH]) {
      const raw = `{"title":"x","target":{"all":true},"data":${deep(levels)}}`;
      const r = await call("POST", `/api/sites/${site.id}/notifications`, {
        token: owner.token,
        raw,
        headers: { "Content-Type": "application/json" },
      });
      expectError(r, "json_too_deep");
      expect(r.body.error.message).toBe(`Arrays and objects in the request body may nest at most ${MAX_JSON_DEPTH} levels deep.`);
    }
    // Also where no handler would look: an unauthenticated public endpoint, and arrays.
    const arrays = await call("POST", "/api/events", { raw: "[".repeat(20_000) + "]".repeat(20_000), headers: { "Content-Type": "application/json" } });
    expectError(arrays, "json_too_deep");
    // Brackets inside strings do not count.
    const inString = await call("POST", "/api/events", { body: { token: "[".repeat(500), type: "click" } });
    expect(inString.body.error.code).not.toBe("json_too_deep");
  });

  it(`limits notification data to ${FREE_FORM_MAX_DEPTH} levels and ${FREE_FORM_MAX_BYTES} bytes`, async () => {
    const { owner, site } = await tenant("data");
    const create = (data: unknown) => call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "x", target: { all: true }, data } });
    const nest = (levels: number): unknown => (levels <= 1 ? { leaf: 1 } : { a: nest(levels - 1) });
    expect((await create(nest(FREE_FORM_MAX_DEPTH))).status).toBe(201);
    const tooDeep = await create(nest(FREE_FORM_MAX_DEPTH + 1));
    expectError(tooDeep, "validation_failed");
    expect(tooDeep.body.error.fields).toEqual([{ path: "data", message: `Must be nested at most ${FREE_FORM_MAX_DEPTH} levels deep.` }]);
    expect(tooDeep.body.error.message).toBe(`Data must be nested at most ${FREE_FORM_MAX_DEPTH} levels deep.`);
    const tooBig = await create({ blob: "é".repeat(FREE_FORM_MAX_BYTES / 2) });
    expectError(tooBig, "validation_failed");
    expect(tooBig.body.error.fields).toEqual([{ path: "data", message: "Must be at most 4,096 bytes as JSON." }]);
  });

  it("keeps the status of a framework's HTTP error and answers with a catalogue code", async () => {
    // An empty body labelled text/plain passes our JSON check but not the OpenAPI media type gate (HTTPException 415).
    const r = await call("POST", "/api/auth/logout", { raw: "", headers: { "Content-Type": "text/plain" } });
    expectError(r, "unsupported_media_type");
    const malformed = await call("POST", "/api/auth/logout", { raw: "{", headers: { "Content-Type": "application/json" } });
    expectError(malformed, "invalid_json");
  });

  it("answers an unknown route with route_not_found, and a missing resource with not_found", async () => {
    const { owner, site } = await tenant("routes");
    const r = await call("GET", "/api/foo", { token: owner.token });
    expectError(r, "route_not_found");
    expect(r.body.error.message).toBe("No such route: GET /api/foo");
    const wrongMethod = await call("PUT", `/api/sites/${site.id}`, { token: owner.token, body: {} });
    expectError(wrongMethod, "route_not_found");
    expect(wrongMethod.body.error.message).toBe(`No such route: PUT /api/sites/${site.id}`);
    const long = await call("GET", `/api/${"x".repeat(5000)}`);
    expectError(long, "route_not_found");
    expect(long.body.error.message.length).toBeLessThan(300);
    const resource = await call("GET", `/api/sites/${site.id}/notifications/ntf_0000000000000000000000000`, { token: owner.token });
    expectError(resource, "not_found");
  });

  it("rejects scheduled_at more than a year ahead or beyond what a Date holds, on create and edit", async () => {
    const { owner, site } = await tenant("schedule");
    const create = (scheduled_at: unknown) =>
      call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "x", target: { all: true }, scheduled_at } });
    const day = 86_400_000;
    for (const [value, message] of [
      [Number.MAX_SAFE_INTEGER, "Must be a time a JavaScript Date can hold (Unix milliseconds)."],
      [8.64e15 + 1, "Must be a time a JavaScript Date can hold (Unix milliseconds)."],
      [1e21, "Must be a time a JavaScript Date can hold (Unix milliseconds)."],
      [Date.now() + 366 * day, "Must be at most one year ahead."],
      [-1, "Must be more than 0."],
    ] as const) {
      const r = await create(value);
      expectError(r, "validation_failed");
      expect(r.body.error.fields, String(value)).toEqual([{ path: "scheduled_at", message }]);
    }
    const ok = await create(Date.now() + 364 * day);
    expect(ok.status).toBe(201);
    const edit = await call("PATCH", `/api/sites/${site.id}/notifications/${ok.body.id}`, {
      token: owner.token,
      body: { scheduled_at: Number.MAX_SAFE_INTEGER },
    });
    expectError(edit, "validation_failed");
    expect(edit.body.error.fields[0].path).toBe("scheduled_at");
    expect(edit.body.error.message).toBe("Scheduled time must be a time a JavaScript Date can hold (Unix milliseconds).");
  });
});
