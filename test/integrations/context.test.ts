// What a provider's calls go through: PROVIDER_ORIGIN_OVERRIDES (local stand-ins, local use
// only), safe-fetch's outbound policy, and the status-callback URL.
import { describe, expect, it } from "vitest";
import { callbackUrlFor, originResolver, parseOriginOverrides, providerFetch } from "../../workers/services/integrations/context";

describe("provider origins", () => {
  it("maps real origins to local ones from real=local pairs, skipping malformed pairs", () => {
    const map = parseOriginOverrides(" https://api.sendgrid.com=http://127.0.0.1:8791 , https://api.twilio.com/=http://127.0.0.1:8791/x,bad,=http://x,https://api.resend.com=");
    expect([...map]).toEqual([
      ["https://api.sendgrid.com", "http://127.0.0.1:8791"],
      ["https://api.twilio.com", "http://127.0.0.1:8791"],
    ]);
    const origin = originResolver("https://api.sendgrid.com=http://127.0.0.1:8791");
    expect(origin("https://api.sendgrid.com")).toBe("http://127.0.0.1:8791");
    expect(origin("https://api.resend.com")).toBe("https://api.resend.com");
    expect(originResolver("")("https://api.sendgrid.com")).toBe("https://api.sendgrid.com");
  });

  it("gives providers a callback URL only when there is a public base", () => {
    expect(callbackUrlFor("twilio", "int_1", "https://herald.example.com/")).toBe("https://herald.example.com/api/callbacks/twilio/int_1");
    expect(callbackUrlFor("twilio", "int_1", "")).toBe("");
    expect(callbackUrlFor("twilio", "int_1", undefined)).toBe("");
  });
});

describe("providerFetch", () => {
  const calls: string[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    calls.push(`${req.method} ${req.url}`);
    if (req.url.startsWith("https://doh.test/")) {
      return Response.json({ Status: 0, Answer: new URL(req.url).searchParams.get("type") === "A" ? [{ type: 1, TTL: 60, data: "93.184.215.14" }] : [] });
    }
    return new Response(JSON.stringify({ got: await req.text(), auth: req.headers.get("authorization") }), { status: 202, headers: { "x-message-id": "m1" } });
  }) as typeof fetch;
  const env = { OUTBOUND_ALLOW_ORIGINS: "http://127.0.0.1:8791", OUTBOUND_DOH_URL: "https://doh.test/dns-query" } as Env;
  const f = providerFetch({ env, fetch: fetcher });

  it("reaches an allowed local stand-in over http without DNS, with method, headers and body", async () => {
    calls.length = 0;
    const res = await f("http://127.0.0.1:8791/v3/mail/send", { method: "POST", headers: { authorization: "Bearer k" }, body: '{"a":1}' });
    expect(res.status).toBe(202);
    expect(res.headers.get("x-message-id")).toBe("m1");
    expect(await res.json()).toEqual({ got: '{"a":1}', auth: "Bearer k" });
    expect(calls).toEqual(["POST http://127.0.0.1:8791/v3/mail/send"]);
  });

  it("checks a real API's host over DNS first", async () => {
    calls.length = 0;
    expect((await f("https://api.sendgrid.com/v3/mail/send", { method: "POST", body: "{}" })).status).toBe(202);
    expect(calls.filter((c) => c.includes("doh.test"))).toHaveLength(2);
    expect(calls.at(-1)).toBe("POST https://api.sendgrid.com/v3/mail/send");
  });

  it("throws safe-fetch's refusal for an address the policy does not allow (a retryable network error)", async () => {
    calls.length = 0;
    await expect(f("http://127.0.0.1:9999/v3/mail/send", { method: "POST" })).rejects.toMatchObject({ name: "ProviderFetchError", reason: "private_address" });
    expect(calls).toEqual([]);
  });
});
