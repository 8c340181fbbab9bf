// Integrations (issue #8 §3): a site's providers per channel, credentials sealed and never
// returned, rotation, one primary per channel, the test send and its answer in words, who may
// do what, other tenants' ids, and the re-seal on master-key rotation.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeDeps } from "../../workers/services/deps";
import { loadPrimaryIntegration, reportIntegrationProblem } from "../../workers/services/integrations";
import { reencryptSecrets } from "../../workers/services/secrets";
import { installFakeProviders } from "../integrations/fake-providers";
import { call, registerUser, tenant } from "../helpers";

const SG_KEY = "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";
const SG_KEY_2 = "SG.Zx7bQmC4RtYp2KwN9sLfHg.a8Hq3LmN2pQ7rStUvWxYz01bCdEfGhIjKlMnOpQrs9w2";
const RESEND_KEY = "re_123456789_AbCdEfGhIjKlMnOpQrStUvWx";
const SENDGRID = {
  channel: "email",
  provider: "sendgrid",
  name: "SendGrid",
  credentials: { api_key: SG_KEY },
  settings: { from_email: "news@acme.example.com", from_name: "Acme" },
};

let providers: ReturnType<typeof installFakeProviders>;
let logged: string[] = [];
beforeEach(() => {
  providers = installFakeProviders();
  logged = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ")));
  }
});
afterEach(() => {
  providers.restore();
  vi.restoreAllMocks();
  // Whatever the test did, no credential reached a log line.
  for (const key of [SG_KEY, SG_KEY_2, RESEND_KEY]) for (const part of secretParts(key)) expect(logged.join("\n")).not.toContain(part);
});

const secretParts = (key: string) => [key, ...key.split(".").filter((p) => p.length > 8)];
function expectNoSecret(body: unknown, key: string) {
  const text = JSON.stringify(body);
  for (const part of secretParts(key)) expect(text).not.toContain(part);
}

async function add(token: string, siteId: string, body: object = SENDGRID) {
  const r = await call("POST", `/api/sites/${siteId}/integrations`, { token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; primary: boolean; credentials_hint: string };
}

describe("integrations", () => {
  it("adds an integration that shows only a hint of its credentials and keeps them sealed in D1", async () => {
    const { owner, site } = await tenant("integ");
    const created = await add(owner.token, site.id);
    expect(created).toMatchObject({ channel: "email", provider: "sendgrid", name: "SendGrid", primary: true, credentials_hint: "••••s5cr", last_test: null, problem: null });
    expect(created).toMatchObject({ settings: SENDGRID.settings });
    expectNoSecret(created, SG_KEY);
    const list = await call("GET", `/api/sites/${site.id}/integrations`, { token: owner.token });
    expect(list.body.data).toHaveLength(1);
    expectNoSecret(list.body, SG_KEY);
    expectNoSecret((await call("GET", `/api/sites/${site.id}/integrations/${created.id}`, { token: owner.token })).body, SG_KEY);

    const row = await env.DB.prepare("select * from integrations where id = ?").bind(created.id).first<Record<string, unknown>>();
    expect(String(row!.credentials_enc)).toMatch(/^env1\.1\./);
    for (const part of secretParts(SG_KEY)) expect(JSON.stringify(row)).not.toContain(part);
    // Opened by the send path, bound to its row: the same envelope in another row does not open.
    const loaded = await loadPrimaryIntegration(makeDeps(env), site.id, "email");
    expect(loaded).toMatchObject({ integrationId: created.id, ctx: { credentials: { api_key: SG_KEY }, settings: SENDGRID.settings } });
    const other = await add(owner.token, site.id, { ...SENDGRID, name: "Copy target" });
    await env.DB.prepare("update integrations set credentials_enc = ?, updated_at = updated_at + 1 where id = ?").bind(row!.credentials_enc, other.id).run();
    await call("PATCH", `/api/sites/${site.id}/integrations/${other.id}`, { token: owner.token, body: { primary: true } });
    await expect(loadPrimaryIntegration(makeDeps(env), site.id, "email")).rejects.toMatchObject({ code: "invalid_state" });
    const test = await call("POST", `/api/sites/${site.id}/integrations/${other.id}/test`, { token: owner.token, body: { to: "ada@example.com" } });
    expect(test.status).toBe(409);
    expect(test.body.error.message).toBe('The credentials of "Copy target" cannot be opened with the configured master keys: enter them again (rotate credentials).');
  });

  it("names the failing field of bad credentials, settings or a provider that does not serve the channel", async () => {
    const { owner, site } = await tenant("integvalid");
    const cases: Array<[object, string]> = [
      [{ ...SENDGRID, credentials: { api_key: "not-a-key" } }, "credentials.api_key"],
      [{ ...SENDGRID, credentials: {} }, "credentials.api_key"],
      [{ ...SENDGRID, credentials: { api_key: SG_KEY, extra: "x" } }, "credentials.extra"],
      [{ ...SENDGRID, settings: { from_name: "Acme" } }, "settings.from_email"],
      [{ ...SENDGRID, settings: { from_email: "a@b.example", event_webhook_public_key: "bm90IGEga2V5" } }, "settings.event_webhook_public_key"],
      [{ ...SENDGRID, channel: "sms" }, "provider"],
      [{ ...SENDGRID, provider: "mailchimp" }, "provider"],
      [{ ...SENDGRID, provider: "resend", credentials: { api_key: SG_KEY } }, "credentials.api_key"],
    ];
    for (const [body, path] of cases) {
      const r = await call("POST", `/api/sites/${site.id}/integrations`, { token: owner.token, body });
      expect(r.status, path).toBe(400);
      expect(r.body.error.code).toBe("validation_failed");
      expect(r.body.error.fields.map((f: { path: string }) => f.path), JSON.stringify(r.body)).toContain(path);
      expectNoSecret(r.body, SG_KEY);
    }
    expect((await call("GET", `/api/sites/${site.id}/integrations`, { token: owner.token })).body.data).toEqual([]);
  });

  it("keeps one primary per channel: the first, then the one PATCHed primary; a deleted primary hands over to the oldest left", async () => {
    const { owner, site } = await tenant("integprimary");
    const a = await add(owner.token, site.id);
    const b = await add(owner.token, site.id, { ...SENDGRID, name: "Resend", provider: "resend", credentials: { api_key: RESEND_KEY } });
    const c = await add(owner.token, site.id, { ...SENDGRID, name: "Spare" });
    expect([a.primary, b.primary, c.primary]).toEqual([true, false, false]);
    const deps = makeDeps(env);

    const switched = await call("PATCH", `/api/sites/${site.id}/integrations/${b.id}`, { token: owner.token, body: { primary: true } });
    expect(switched.body.primary).toBe(true);
    const primaries = async () =>
      (await call("GET", `/api/sites/${site.id}/integrations`, { token: owner.token })).body.data.filter((i: { primary: boolean }) => i.primary).map((i: { id: string }) => i.id);
    expect(await primaries()).toEqual([b.id]);
    expect((await loadPrimaryIntegration(deps, site.id, "email"))?.integrationId).toBe(b.id);
    expect((await loadPrimaryIntegration(deps, site.id, "sms"))).toBeNull();

    const unset = await call("PATCH", `/api/sites/${site.id}/integrations/${b.id}`, { token: owner.token, body: { primary: false } });
    expect(unset.status).toBe(400);
    expect(unset.body.error.fields[0].path).toBe("primary");

    expect((await call("DELETE", `/api/sites/${site.id}/integrations/${b.id}`, { token: owner.token })).status).toBe(204);
    expect(await primaries()).toEqual([a.id]);
    await call("DELETE", `/api/sites/${site.id}/integrations/${a.id}`, { token: owner.token });
    await call("DELETE", `/api/sites/${site.id}/integrations/${c.id}`, { token: owner.token });
    expect((await call("DELETE", `/api/sites/${site.id}/integrations/${c.id}`, { token: owner.token })).status).toBe(404);
    // A send after the last one is gone finds no integration (the channel fails "channel_not_configured").
    expect(await loadPrimaryIntegration(deps, site.id, "email")).toBeNull();
  });

  it("rotates credentials: the new key replaces the old, is used from then on, and only its hint shows", async () => {
    const { owner, site } = await tenant("integrotate");
    const created = await add(owner.token, site.id);
    const path = `/api/sites/${site.id}/integrations/${created.id}`;
    const rotated = await call("PATCH", path, { token: owner.token, body: { credentials: { api_key: SG_KEY_2 }, name: "SendGrid (new key)" } });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ credentials_hint: "••••s9w2", name: "SendGrid (new key)", settings: SENDGRID.settings });
    expectNoSecret(rotated.body, SG_KEY_2);
    await reportIntegrationProblem(makeDeps(env), site.id, "email", "SendGrid refused the API key (HTTP 401).");
    expect((await call("PATCH", path, { token: owner.token, body: { credentials: { api_key: SG_KEY } } })).body.problem).toBeNull();
    await call("PATCH", path, { token: owner.token, body: { credentials: { api_key: SG_KEY_2 } } });
    const bad = await call("PATCH", path, { token: owner.token, body: { credentials: { api_key: "SG.short" } } });
    expect(bad.body.error.fields[0].path).toBe("credentials.api_key");

    await call("POST", `${path}/test`, { token: owner.token, body: { to: "ada@example.com" } });
    expect(providers.calls.at(-1)!.headers.get("authorization")).toBe(`Bearer ${SG_KEY_2}`);
  });

  it("sends a test through SendGrid, tells its answer in words and records it on the integration", async () => {
    const { owner, site } = await tenant("integtest");
    const created = await add(owner.token, site.id);
    const path = `/api/sites/${site.id}/integrations/${created.id}`;
    providers.answer({ status: 202, headers: { "x-message-id": "W0Jz9nKsTvWnxyz123" } });
    const ok = await call("POST", `${path}/test`, { token: owner.token, body: { to: "ada@example.com" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      ok: true,
      outcome: "sent",
      reason: null,
      provider_status: 202,
      provider_code: null,
      provider_message_id: "W0Jz9nKsTvWnxyz123",
      message: "SendGrid accepted the message (HTTP 202). Its message id is W0Jz9nKsTvWnxyz123.",
    });
    const sent = providers.calls.at(-1)!;
    expect(sent.url).toBe("https://api.sendgrid.com/v3/mail/send");
    expect(JSON.parse(sent.body)).toEqual({
      personalizations: [{ to: [{ email: "ada@example.com" }] }],
      from: { email: "news@acme.example.com", name: "Acme" },
      subject: "Herald test",
      content: [{ type: "text/plain", value: 'This is a test message from Herald for the integration "SendGrid". It needs no action.' }],
    });

    providers.answer({ status: 401, body: { errors: [{ field: null, message: "The provided authorization grant is invalid, expired, or revoked", help: null }] } });
    const refused = await call("POST", `${path}/test`, { token: owner.token, body: { to: "ada@example.com" } });
    expect(refused.body).toMatchObject({
      ok: false,
      outcome: "failed",
      reason: "credentials_rejected",
      provider_status: 401,
      message: "SendGrid refused the API key (HTTP 401): The provided authorization grant is invalid, expired, or revoked.",
    });
    expectNoSecret(refused.body, SG_KEY);
    const after = await call("GET", path, { token: owner.token });
    expect(after.body.last_test).toMatchObject({ ok: false, message: refused.body.message });
    // A real send's configuration problem shows on the channel's primary until a test succeeds.
    await reportIntegrationProblem(makeDeps(env), site.id, "email", "SendGrid refused the API key (HTTP 401).");
    expect((await call("GET", path, { token: owner.token })).body.problem).toMatchObject({ message: "SendGrid refused the API key (HTTP 401)." });

    providers.answer({ status: 400, body: { errors: [{ field: "personalizations.0.to.0.email", message: "Does not contain a valid address.", help: null }] } });
    const invalid = await call("POST", `${path}/test`, { token: owner.token, body: { to: "ada@example.com" } });
    expect(invalid.body).toMatchObject({ ok: false, outcome: "gone", message: "SendGrid says the address cannot receive messages (HTTP 400): Does not contain a valid address." });

    providers.answer({ status: 429, headers: { "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 30) } });
    const slow = await call("POST", `${path}/test`, { token: owner.token, body: { to: "ada@example.com" } });
    expect(slow.body).toMatchObject({ ok: false, outcome: "retry", reason: "rate_limited" });
    expect(slow.body.message).toMatch(/^SendGrid asked to slow down \(HTTP 429\); a real send would try again in (29|30|31) s\.$/);

    // A success clears the problem.
    await call("POST", `${path}/test`, { token: owner.token, body: { to: "ada@example.com" } });
    expect((await call("GET", path, { token: owner.token })).body).toMatchObject({ last_test: { ok: true }, problem: null });

    const badTo = await call("POST", `${path}/test`, { token: owner.token, body: { to: "+14155550123" } });
    expect(badTo.status).toBe(400);
    expect(badTo.body.error.fields[0].path).toBe("to");
  });

  it("sends a test through Resend with its request shape and reads its error body", async () => {
    const { owner, site } = await tenant("integresend");
    const created = await add(owner.token, site.id, { channel: "email", provider: "resend", name: "Resend", credentials: { api_key: RESEND_KEY }, settings: { from_email: "hi@acme.example.com", from_name: "Acme, Inc." } });
    expect(created.credentials_hint).toBe("••••UvWx");
    const path = `/api/sites/${site.id}/integrations/${created.id}/test`;
    const ok = await call("POST", path, { token: owner.token, body: { to: "ada@example.com" } });
    expect(ok.body).toMatchObject({ ok: true, provider_status: 200 });
    const sent = providers.calls.at(-1)!;
    expect(sent.url).toBe("https://api.resend.com/emails");
    expect(sent.headers.get("authorization")).toBe(`Bearer ${RESEND_KEY}`);
    expect(JSON.parse(sent.body)).toEqual({
      from: '"Acme, Inc." <hi@acme.example.com>',
      to: ["ada@example.com"],
      subject: "Herald test",
      text: 'This is a test message from Herald for the integration "Resend". It needs no action.',
    });
    providers.answer({ status: 403, body: { statusCode: 403, name: "invalid_api_key", message: "API key is invalid" } });
    const refused = await call("POST", path, { token: owner.token, body: { to: "ada@example.com" } });
    expect(refused.body).toMatchObject({ ok: false, reason: "credentials_rejected", provider_code: "invalid_api_key", message: "Resend refused the API key (HTTP 403, invalid_api_key): API key is invalid." });
    expectNoSecret(refused.body, RESEND_KEY);
  });

  it("lets members read integrations but only admins and integrations:write keys change or test them", async () => {
    const { owner, site } = await tenant("integroles");
    const member = await registerUser("integmember");
    await env.DB.prepare("insert into site_members (site_id, user_id, role, created_at) values (?, ?, 'member', 0)").bind(site.id, member.user.id).run();
    const created = await add(owner.token, site.id);
    const path = `/api/sites/${site.id}/integrations/${created.id}`;
    expect((await call("GET", path, { token: member.token })).status).toBe(200);
    expect((await call("PATCH", path, { token: member.token, body: { name: "x" } })).status).toBe(403);
    expect((await call("POST", `${path}/test`, { token: member.token, body: { to: "ada@example.com" } })).status).toBe(403);
    expect((await call("DELETE", path, { token: member.token })).status).toBe(403);
    expect((await call("POST", `/api/sites/${site.id}/integrations`, { token: member.token, body: SENDGRID })).status).toBe(403);

    const readKey = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "r", scopes: ["integrations:read"] } });
    const writeKey = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "w", scopes: ["integrations:write"] } });
    expect((await call("GET", `/api/sites/${site.id}/integrations`, { token: readKey.body.key })).status).toBe(200);
    expect((await call("POST", `/api/sites/${site.id}/integrations`, { token: readKey.body.key, body: SENDGRID })).status).toBe(403);
    expect((await call("POST", `/api/sites/${site.id}/integrations`, { token: writeKey.body.key, body: SENDGRID })).status).toBe(201);
  });

  it("answers 404 for another tenant's integration, under either site", async () => {
    const a = await tenant("intega");
    const b = await tenant("integb");
    const theirs = await add(a.owner.token, a.site.id);
    for (const siteId of [a.site.id, b.site.id]) {
      const path = `/api/sites/${siteId}/integrations/${theirs.id}`;
      expect((await call("GET", path, { token: b.owner.token })).status).toBe(404);
      expect((await call("PATCH", path, { token: b.owner.token, body: { primary: true, credentials: { api_key: SG_KEY_2 } } })).status).toBe(404);
      expect((await call("POST", `${path}/test`, { token: b.owner.token, body: { to: "ada@example.com" } })).status).toBe(404);
      expect((await call("DELETE", path, { token: b.owner.token })).status).toBe(404);
    }
    expect((await call("GET", `/api/sites/${a.site.id}/integrations`, { token: b.owner.token })).status).toBe(404);
    expect(providers.calls).toHaveLength(0);
    expect((await call("GET", `/api/sites/${a.site.id}/integrations/${theirs.id}`, { token: a.owner.token })).body).toMatchObject({ primary: true, credentials_hint: "••••s5cr" });
  });

  it("re-seals credentials under a new master key, and they still open", async () => {
    const { owner, site } = await tenant("integreseal");
    const created = await add(owner.token, site.id);
    const rotatedEnv = { ...env, MASTER_KEYS: `${env.MASTER_KEYS},2:${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}` };
    const deps = makeDeps(rotatedEnv);
    let cursor: string | null = "";
    while (cursor !== null) cursor = (await reencryptSecrets(deps, cursor, 200)).next_cursor;
    const row = await env.DB.prepare("select credentials_enc from integrations where id = ?").bind(created.id).first<string>("credentials_enc");
    expect(row).toMatch(/^env1\.2\./);
    await env.DB.prepare("update integrations set updated_at = updated_at + 1 where id = ?").bind(created.id).run(); // past the isolate's cache
    expect((await loadPrimaryIntegration(deps, site.id, "email"))?.ctx.credentials).toEqual({ api_key: SG_KEY });
  });
});
