// Inbound webhook triggers (issue #10 §6) through the real path: POST /hooks/{token} → signature
// → mapping → the normal message path → the push fake. Signatures valid, wrong, stale and
// replayed; token-only triggers; idempotency by header and by payload path; the payload's
// missing fields named; an opted-out user skipped; the call log; another site's trigger a 404.
import { afterEach, describe, expect, it } from "vitest";
import { signTrigger } from "../../workers/lib/trigger-signature";
import { installFakePush } from "../fixtures/fake-push";
import { call, freshIp, tenant } from "../helpers";
import { subscribeAs, waitFor } from "../messages/helpers";

let push: ReturnType<typeof installFakePush>;
afterEach(() => push?.restore());

const mapping = {
  content: { web_push: { title: "Order {{ payload.order.id }} shipped", body: "Hi {{ payload.customer.name | default: 'there' }}" } },
  external_id_path: "customer.id",
  idempotency_path: "order.id",
};

async function setup(label: string, extra: Record<string, unknown> = {}) {
  push = installFakePush();
  const t = await tenant(label);
  const api = (method: string, path: string, body?: unknown) => call(method, `/api/sites/${t.site.id}${path}`, { token: t.owner.token, body });
  await subscribeAs(push, t.site, "ada");
  await subscribeAs(push, t.site, "bob");
  const created = await api("POST", "/triggers", { name: "Shop orders", mapping, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const path = new URL(created.body.url).pathname;
  const hook = async (body: unknown, headers: Record<string, string> = {}, sign: "now" | "old" | "wrong" | "none" = "now") => {
    const raw = JSON.stringify(body);
    const t0 = Math.floor(Date.now() / 1000) - (sign === "old" ? 600 : 0);
    const signature: Record<string, string> = sign === "none" ? {} : { "X-Herald-Signature": await signTrigger(sign === "wrong" ? "trgsec_wrong" : created.body.secret, t0, raw) };
    return call("POST", path, { raw, headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp(), ...signature, ...headers } });
  };
  return { ...t, api, trigger: created.body, hook, path };
}

describe("inbound webhook triggers", () => {
  it("maps a signed call into a message to the user named in the payload, once per order", async () => {
    const { api, trigger, hook } = await setup("trg");
    expect(trigger.url).toMatch(/\/hooks\/[A-Za-z0-9_-]{20,}$/);
    expect(trigger.secret).toMatch(/^trgsec_/);
    const body = { order: { id: "A-1001" }, customer: { id: "ada", name: "Ada" } };
    const r = await hook(body);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({ message_id: expect.stringMatching(/^ntf_/), duplicate: false });
    await waitFor(() => api("GET", `/messages/${r.body.message_id}`), (m) => m.body.status === "completed");
    expect(push.received.map((p) => p.payload)).toEqual([expect.objectContaining({ title: "Order A-1001 shipped", body: "Hi Ada" })]);
    // The same order again (a retry, newly signed): the first answer, nothing new sent.
    const again = await hook({ ...body, sent_at: 2 });
    expect(again.body).toMatchObject({ message_id: r.body.message_id, duplicate: true });
    const log = await api("GET", `/triggers/${trigger.id}/calls`);
    expect(log.body.data.map((c: { outcome: string; status: number }) => [c.outcome, c.status])).toEqual([["duplicate", 202], ["sent", 202]]);
    expect(log.body.data[1].rendered).toMatchObject({ to: { external_ids: ["ada"] }, content: { web_push: { title: "Order A-1001 shipped" } } });
    expect((await api("GET", `/triggers/${trigger.id}`)).body.last_call).toMatchObject({ status: 202 });
  });

  it("refuses wrong, stale, missing and replayed signatures, and logs each", async () => {
    const { api, trigger, hook, path } = await setup("trg-sig");
    const body = { order: { id: "B-1" }, customer: { id: "bob" } };
    expect((await hook(body, {}, "wrong")).body.error.code).toBe("signature_invalid");
    expect((await hook(body, {}, "old")).body.error.code).toBe("signature_expired");
    expect((await hook(body, {}, "none")).status).toBe(401);
    // The very same signed request twice: the second is a replay.
    const raw = JSON.stringify(body);
    const headers = { "Content-Type": "application/json", "X-Herald-Signature": await signTrigger(trigger.secret, Math.floor(Date.now() / 1000), raw) };
    expect((await call("POST", path, { raw, headers })).status).toBe(202);
    const replay = await call("POST", path, { raw, headers });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe("signature_replayed");
    const log = await api("GET", `/triggers/${trigger.id}/calls`);
    expect(log.body.data.map((c: { status: number }) => c.status)).toEqual([409, 202, 401, 401, 401]);
    await waitFor(async () => push.received.length, (n) => n >= 1);
    expect(push.received).toHaveLength(1);
  });

  it("names what the payload lacks (422 with the field), honours an opt-out, and takes a token-only call with an Idempotency-Key", async () => {
    const { api, hook } = await setup("trg-map", { mode: "token_only" });
    const missing = await hook({ order: { id: "C-1" } }, {}, "none");
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: "payload_unmapped", fields: [{ path: "payload.customer.id" }] });
    const noOrder = await hook({ customer: { id: "ada" } }, {}, "none");
    expect(noOrder.status).toBe(422);
    expect(noOrder.body.error.fields[0].path).toBe("mapping.content.web_push.title");
    await api("PUT", "/users/bob/preferences", { channels: { web_push: false } });
    const r = await hook({ order: { id: "C-2" }, customer: { id: ["ada", "bob"] } }, { "Idempotency-Key": "evt_77" }, "none");
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const done = await waitFor(() => api("GET", `/messages/${r.body.message_id}`), (m) => m.body.status === "completed");
    expect(done.body.channels.web_push).toMatchObject({ sent: 1, skipped: 1 }); // bob opted out of web push
    expect((await hook({ order: { id: "C-3" }, customer: { id: "ada" } }, { "Idempotency-Key": "evt_77" }, "none")).status).toBe(422); // same key, other body
    expect((await call("POST", "/hooks/not-a-real-token-at-all", { raw: "{}", headers: { "Content-Type": "application/json" } })).status).toBe(404);
  });

  it("tests a sample payload from the dashboard (dry run and send), validates mappings with the field, and keeps triggers per site", async () => {
    const { api, trigger } = await setup("trg-test");
    const dry = await api("POST", `/triggers/${trigger.id}/test`, { payload: { order: { id: "T-1" }, customer: { id: "ada" } }, dry_run: true });
    expect(dry.body).toMatchObject({ message_id: null, rendered: { content: { web_push: { title: "Order T-1 shipped" } } } });
    expect(push.received).toHaveLength(0);
    const sent = await api("POST", `/triggers/${trigger.id}/test`, { payload: { order: { id: "T-2" }, customer: { id: "ada" } } });
    expect(sent.body.message_id).toMatch(/^ntf_/);
    const bad: Array<[unknown, string]> = [
      [{ ...mapping, content: { web_push: { title: "{{ payload.x " } } }, "mapping.content.web_push.title"],
      [{ ...mapping, content: undefined, template: "nope" }, "mapping.template"],
      [{ content: mapping.content, target: { segment_id: "seg_nope" } }, "mapping.target.segment_id"],
      [{ content: mapping.content }, "mapping.external_id_path"],
    ];
    for (const [m, path] of bad) {
      const r = await api("POST", "/triggers", { name: "Bad", mapping: m });
      expect(r.status, JSON.stringify(m)).toBeGreaterThanOrEqual(400);
      expect(r.body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    const other = await tenant("trg-test-other");
    for (const [method, p] of [["GET", ""], ["PATCH", ""], ["DELETE", ""], ["GET", "/calls"], ["POST", "/rotate-secret"]] as const) {
      const r = await call(method, `/api/sites/${other.site.id}/triggers/${trigger.id}${p}`, { token: other.owner.token, body: method === "PATCH" ? { name: "x" } : undefined });
      expect(r.status, `${method} ${p}`).toBe(404);
    }

  });
});
