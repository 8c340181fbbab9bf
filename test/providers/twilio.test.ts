// Twilio provider: the Messages API call it makes (form fields, auth, path — as Twilio
// documents them), the classification table, credentials validation and where secrets go.
import { afterEach, describe, expect, it, vi } from "vitest";
import { RETRY_AFTER_MAX_S, RETRY_BASE_DELAY_S } from "../../workers/config";
import { twilio } from "../../workers/providers/twilio";
import { twilioCredentialsSchema, twilioSettingsSchema, type TwilioCredentials, type TwilioSettings } from "../../workers/providers/twilio/credentials";
import { classifyTwilioResult } from "../../workers/providers/twilio/outcome";
import type { ProviderHttpResult } from "../../workers/providers/http";
import type { ProviderContext } from "../../workers/providers/types";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "f00dfeedf00dfeedf00dfeedf00dfeed";
const KEY_SID = "SK0123456789abcdef0123456789abcdef";
const KEY_SECRET = "s3cr3tK3yS3cr3tK3yS3cr3tK3yS3cr3";
const SETTINGS: TwilioSettings = { account_sid: ACCOUNT, from: "+15005550006", whatsapp_from: "+14155238886" };
const CALLBACK = "https://herald.example/api/callbacks/twilio/int_01";
const NOW = Date.UTC(2026, 0, 1, 12);

interface Sent {
  url: string;
  headers: Headers;
  body: string;
}

function context(answer: () => Response | Promise<Response>, over: { credentials?: TwilioCredentials; settings?: TwilioSettings } = {}) {
  const sent: Sent[] = [];
  const ctx: ProviderContext<TwilioCredentials, TwilioSettings> = {
    siteId: "site_1",
    integrationId: "int_01",
    credentials: over.credentials ?? { auth_token: TOKEN },
    settings: over.settings ?? SETTINGS,
    origin: (real) => (real === "https://api.twilio.com" ? "http://127.0.0.1:8791" : real),
    fetch: async (input, init) => {
      const req = new Request(input as RequestInfo, init);
      sent.push({ url: req.url, headers: req.headers, body: new TextDecoder().decode(await req.arrayBuffer()) });
      return answer();
    },
    now: () => NOW,
    callbackUrl: CALLBACK,
  };
  return { ctx, sent };
}

const created = (sid = "SM0123456789abcdef0123456789abcdef") =>
  new Response(JSON.stringify({ sid, status: "queued", account_sid: ACCOUNT, body: "Hi" }), { status: 201, headers: { "content-type": "application/json" } });
const twilioError = (status: number, code: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ code, message: `error ${code}`, more_info: `https://www.twilio.com/docs/errors/${code}`, status }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

describe("Twilio Messages API request", () => {
  it("posts an SMS form-encoded to the account's Messages.json with Basic auth and a StatusCallback", async () => {
    const { ctx, sent } = context(() => created());
    const result = await twilio.send(ctx, "sms", { to: "+14155550123", text: "Your code is 123 & done" }, 1);
    expect(result).toEqual({ outcome: { kind: "sent" }, httpStatus: 201, providerMessageId: "SM0123456789abcdef0123456789abcdef" });
    expect(sent).toHaveLength(1);
    const [req] = sent;
    expect(req!.url).toBe(`http://127.0.0.1:8791/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(req!.headers.get("authorization")).toBe(`Basic ${btoa(`${ACCOUNT}:${TOKEN}`)}`);
    expect(req!.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(req!.body).toBe(
      "To=%2B14155550123&From=%2B15005550006&Body=Your+code+is+123+%26+done&StatusCallback=https%3A%2F%2Fherald.example%2Fapi%2Fcallbacks%2Ftwilio%2Fint_01",
    );
  });

  it("prefers the Messaging Service over the from number", async () => {
    const { ctx, sent } = context(() => created(), { settings: { ...SETTINGS, messaging_service_sid: "MG0123456789abcdef0123456789abcdef" } });
    await twilio.send(ctx, "sms", { to: "+14155550123", text: "Hi" }, 1);
    const form = new URLSearchParams(sent[0]!.body);
    expect(form.get("MessagingServiceSid")).toBe("MG0123456789abcdef0123456789abcdef");
    expect(form.has("From")).toBe(false);
  });

  it("authenticates with the API key (account SID still in the path)", async () => {
    const { ctx, sent } = context(() => created(), { credentials: { api_key_sid: KEY_SID, api_key_secret: KEY_SECRET, auth_token: TOKEN } });
    await twilio.send(ctx, "sms", { to: "+14155550123", text: "Hi" }, 1);
    expect(sent[0]!.url).toContain(`/Accounts/${ACCOUNT}/Messages.json`);
    expect(sent[0]!.headers.get("authorization")).toBe(`Basic ${btoa(`${KEY_SID}:${KEY_SECRET}`)}`);
  });

  it("asks for no StatusCallback without the auth token (callbacks could not be verified)", async () => {
    const { ctx, sent } = context(() => created(), { credentials: { api_key_sid: KEY_SID, api_key_secret: KEY_SECRET } });
    await twilio.send(ctx, "sms", { to: "+14155550123", text: "Hi" }, 1);
    expect(new URLSearchParams(sent[0]!.body).has("StatusCallback")).toBe(false);
  });

  it("sends WhatsApp free text with whatsapp: on both numbers", async () => {
    const { ctx, sent } = context(() => created("SM00000000000000000000000000000001"));
    await twilio.send(ctx, "whatsapp", { to: "+447700900123", text: "Your order shipped" }, 1);
    const form = new URLSearchParams(sent[0]!.body);
    expect([...form.keys()]).toEqual(["To", "From", "Body", "StatusCallback"]);
    expect(form.get("To")).toBe("whatsapp:+447700900123");
    expect(form.get("From")).toBe("whatsapp:+14155238886");
  });

  it("sends a WhatsApp template as ContentSid + ContentVariables JSON, without Body", async () => {
    const { ctx, sent } = context(() => created());
    await twilio.send(ctx, "whatsapp", { to: "+447700900123", text: "ignored", contentSid: "HX0123456789abcdef0123456789abcdef", contentVariables: { "1": "Ada", "2": "42" } }, 1);
    const form = new URLSearchParams(sent[0]!.body);
    expect(form.get("ContentSid")).toBe("HX0123456789abcdef0123456789abcdef");
    expect(JSON.parse(form.get("ContentVariables")!)).toEqual({ "1": "Ada", "2": "42" });
    expect(form.has("Body")).toBe(false);
  });

  it("calls nothing and reports a configuration problem when the channel has no sender", async () => {
    const { ctx, sent } = context(() => created(), { settings: { account_sid: ACCOUNT, from: "+15005550006" } });
    const result = await twilio.send(ctx, "whatsapp", { to: "+447700900123", text: "Hi" }, 1);
    expect(sent).toHaveLength(0);
    expect(result.outcome).toMatchObject({ kind: "failed", reason: "sender_not_allowed" });
    expect((result.outcome as { configProblem?: string }).configProblem).toMatch(/no WhatsApp sender/);
  });

  it("refuses a body over Twilio's 1600 characters without calling", async () => {
    const { ctx, sent } = context(() => created());
    expect((await twilio.send(ctx, "sms", { to: "+14155550123", text: "x".repeat(1601) }, 1)).outcome).toEqual({ kind: "failed", reason: "payload_too_large" });
    expect((await twilio.send(ctx, "sms", { to: "+14155550123", text: "x".repeat(1600) }, 1)).outcome).toEqual({ kind: "sent" });
    expect(sent).toHaveLength(1);
  });

  it("turns a network failure into a retry", async () => {
    const { ctx } = context(() => {
      throw new TypeError("Network connection lost.");
    });
    const result = await twilio.send(ctx, "sms", { to: "+14155550123", text: "Hi" }, 1);
    expect(result).toMatchObject({ outcome: { kind: "retry", reason: "network_error" }, httpStatus: null });
  });
});

describe("Twilio answer classification", () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}): ProviderHttpResult => ({
    status,
    headers: new Headers(headers),
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const err = (status: number, code: number, headers: Record<string, string> = {}) =>
    answer(status, { code, message: "m", more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
  const classify = (r: ProviderHttpResult, attempt = 1) => classifyTwilioResult(r, attempt, { random: () => 0.5, now: () => NOW });

  it("counts 201 as sent with the message SID", () => {
    expect(classify(answer(201, { sid: "SMabc", status: "queued" }))).toEqual({ outcome: { kind: "sent" }, httpStatus: 201, providerMessageId: "SMabc" });
  });

  it.each([
    [400, 21211, "invalid To"],
    [400, 21614, "not a mobile number"],
    [400, 21610, "unsubscribed (STOP)"],
  ])("marks the number gone on %i / %i (%s)", (status, code) => {
    expect(classify(err(status, code))).toEqual({ outcome: { kind: "gone" }, httpStatus: status, providerCode: String(code), detail: "m" });
  });

  it("fails 63016 as whatsapp_template_required", () => {
    expect(classify(err(400, 63016))).toEqual({ outcome: { kind: "failed", reason: "whatsapp_template_required" }, httpStatus: 400, providerCode: "63016", detail: "m" });
  });

  it.each([
    [401, 20003],
    [401, 0],
  ])("fails %i (code %i) as credentials_rejected, a configuration problem", (status, code) => {
    const r = classify(code ? err(status, code) : answer(status, "Unauthorized"));
    expect(r.outcome).toMatchObject({ kind: "failed", reason: "credentials_rejected" });
    expect((r.outcome as { configProblem?: string }).configProblem).toMatch(/credentials/);
  });

  it.each([21606, 21659, 21212, 21408])("fails sender code %i as sender_not_allowed, a configuration problem", (code) => {
    const r = classify(err(400, code));
    expect(r).toMatchObject({ outcome: { kind: "failed", reason: "sender_not_allowed" }, providerCode: String(code) });
    expect((r.outcome as { configProblem?: string }).configProblem).toContain(String(code));
  });

  it("retries 429 (20429) with backoff when Twilio gives no Retry-After", () => {
    expect(classify(err(429, 20429), 3)).toEqual({
      outcome: { kind: "retry", reason: "rate_limited", delayS: Math.ceil(0.5 * RETRY_BASE_DELAY_S * 4) },
      httpStatus: 429,
      providerCode: "20429",
      detail: "m",
    });
  });

  it("retries 429 after its Retry-After when one is given", () => {
    expect(classify(err(429, 20429, { "retry-after": "7" })).outcome).toEqual({ kind: "retry", reason: "rate_limited", delayS: 7 });
    expect(classify(err(429, 20429, { "retry-after": "99999" })).outcome).toEqual({ kind: "retry", reason: "rate_limited", delayS: RETRY_AFTER_MAX_S });
  });

  it.each([500, 502, 503])("retries %i as server_error", (status) => {
    expect(classify(err(status, 20500)).outcome).toMatchObject({ kind: "retry", reason: "server_error" });
    expect(classify(answer(status, "<html>oops</html>"), 1).outcome).toEqual({ kind: "retry", reason: "server_error", delayS: 1 });
  });

  it.each([
    [400, 21602],
    [400, 21617],
    [404, 20404],
    [403, 20008],
  ])("fails other %i (code %i) as http_<status> with the code", (status, code) => {
    expect(classify(err(status, code))).toEqual({ outcome: { kind: "failed", reason: `http_${status}` }, httpStatus: status, providerCode: String(code), detail: "m" });
  });

  it("retries a timeout", () => {
    expect(classify({ error: "timeout", message: "The operation was aborted due to timeout" }).outcome).toMatchObject({ kind: "retry", reason: "timeout" });
  });
});

describe("Twilio credentials and settings", () => {
  it("accepts an auth token, or an API key pair with or without the auth token", () => {
    expect(twilioCredentialsSchema.safeParse({ auth_token: TOKEN }).success).toBe(true);
    expect(twilioCredentialsSchema.safeParse({ api_key_sid: KEY_SID, api_key_secret: KEY_SECRET }).success).toBe(true);
    expect(twilioCredentialsSchema.safeParse({ api_key_sid: KEY_SID, api_key_secret: KEY_SECRET, auth_token: TOKEN }).success).toBe(true);
  });

  it.each([
    [{}, "auth_token"],
    [{ auth_token: "not-a-token" }, "auth_token"],
    [{ api_key_sid: KEY_SID }, "api_key_secret"],
    [{ api_key_secret: KEY_SECRET }, "api_key_sid"],
    [{ api_key_sid: "SK123", api_key_secret: KEY_SECRET }, "api_key_sid"],
  ])("rejects credentials %j naming the field %s", (value, path) => {
    const r = twilioCredentialsSchema.safeParse(value);
    expect(r.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("rejects unknown credential fields", () => {
    expect(twilioCredentialsSchema.safeParse({ auth_token: TOKEN, extra: 1 }).error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["extra"] });
  });

  it("requires a sender and checks SID formats", () => {
    expect(twilioSettingsSchema.safeParse({ account_sid: ACCOUNT }).error?.issues[0]?.message).toMatch(/at least one sender/);
    expect(twilioSettingsSchema.safeParse({ account_sid: "AC123", from: "+15005550006" }).error?.issues[0]?.path).toEqual(["account_sid"]);
    expect(twilioSettingsSchema.safeParse({ account_sid: ACCOUNT, from: "5005550006" }).error?.issues[0]?.path).toEqual(["from"]);
    expect(twilioSettingsSchema.safeParse({ account_sid: ACCOUNT, whatsapp_from: "+14155238886" }).success).toBe(true);
  });

  it("hints with the last four characters of the secret that authenticates sends", () => {
    expect(twilio.hint({ auth_token: TOKEN })).toBe("••••feed");
    expect(twilio.hint({ api_key_sid: KEY_SID, api_key_secret: KEY_SECRET, auth_token: TOKEN })).toBe("••••3cr3");
  });
});

describe("Twilio credentials stay secret", () => {
  afterEach(() => vi.restoreAllMocks());

  it("never puts the auth token or API key secret in results or logs, whatever Twilio answers", async () => {
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const answers = [() => created(), () => twilioError(401, 20003), () => twilioError(400, 21211), () => twilioError(503, 20503), () => Promise.reject(new Error("boom"))];
    const results: unknown[] = [];
    for (const credentials of [{ auth_token: TOKEN }, { api_key_sid: KEY_SID, api_key_secret: KEY_SECRET, auth_token: TOKEN }]) {
      for (const answer of answers) {
        const { ctx } = context(answer, { credentials });
        results.push(await twilio.send(ctx, "sms", { to: "+14155550123", text: "Hi" }, 1));
      }
    }
    const text = JSON.stringify(results) + logged.join("\n");
    expect(results).toHaveLength(10);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(KEY_SECRET);
    expect(text).not.toContain(btoa(`${ACCOUNT}:${TOKEN}`));
  });
});
