// SendGrid: the Mail Send request as SendGrid documents it, and the decision table that turns
// its answers into sent / gone / retry / failed (workers/providers/sendgrid/outcome.ts).
import { describe, expect, it } from "vitest";
import { sendGridCredentialsSchema, sendGridHint, sendGridSettingsSchema } from "../../workers/providers/sendgrid/credentials";
import { classifySendGridResult } from "../../workers/providers/sendgrid/outcome";
import { buildSendGridRequest } from "../../workers/providers/sendgrid/request";
import { sendgrid } from "../../workers/providers/sendgrid";

const KEY = "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";
const NOW = 1_800_000_000_000;
const answer = (status: number, body: unknown = "", headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const errors = (...list: Array<[string | null, string]>) => ({ errors: list.map(([field, message]) => ({ field, message, help: null })) });
const classify = (r: Parameters<typeof classifySendGridResult>[0], attempt = 1) => classifySendGridResult(r, attempt, { now: () => NOW, random: () => 0.5 });

describe("SendGrid Mail Send request", () => {
  it("posts personalizations, from, subject and text before html with the Bearer key", () => {
    const { url, init } = buildSendGridRequest("https://api.sendgrid.com", { api_key: KEY }, { from_email: "news@acme.example.com", from_name: "Acme" }, {
      to: "ada@example.com",
      subject: "Your order shipped",
      html: "<p>Shipped</p>",
      text: "Shipped",
    });
    expect(url).toBe("https://api.sendgrid.com/v3/mail/send");
    expect(init.headers).toEqual({ authorization: `Bearer ${KEY}`, "content-type": "application/json" });
    expect(init.body).toBe(
      '{"personalizations":[{"to":[{"email":"ada@example.com"}]}],"from":{"email":"news@acme.example.com","name":"Acme"},"subject":"Your order shipped","content":[{"type":"text/plain","value":"Shipped"},{"type":"text/html","value":"<p>Shipped</p>"}]}',
    );
  });

  it("calls the origin the context names (a local stand-in) and nothing else", async () => {
    const seen: string[] = [];
    const fetcher = (async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return new Response(null, { status: 202, headers: { "X-Message-Id": "abc123" } });
    }) as typeof fetch;
    const ctx = {
      siteId: "site_1",
      integrationId: "int_1",
      credentials: { api_key: KEY },
      settings: { from_email: "a@acme.example.com" },
      origin: (real: string) => (real === "https://api.sendgrid.com" ? "http://127.0.0.1:8791" : real),
      fetch: fetcher,
      now: () => NOW,
      callbackUrl: "",
    };
    const r = await sendgrid.send(ctx, "email", { to: "ada@example.com", subject: "Hi", text: "Hi" }, 1);
    expect(seen).toEqual(["http://127.0.0.1:8791/v3/mail/send"]);
    expect(r).toEqual({ outcome: { kind: "sent" }, httpStatus: 202, providerMessageId: "abc123" });
  });

  it("validates credentials and settings, and hints with the last 4 characters only", () => {
    expect(sendGridCredentialsSchema.safeParse({ api_key: KEY }).success).toBe(true);
    expect(sendGridCredentialsSchema.safeParse({ api_key: "SG.abc" }).success).toBe(false);
    expect(sendGridSettingsSchema.safeParse({ from_email: "not an address" }).success).toBe(false);
    expect(sendGridHint({ api_key: KEY })).toBe("••••s5cr");
  });
});

describe("SendGrid answer → outcome", () => {
  it.each([
    ["202 with X-Message-Id", answer(202, "", { "X-Message-Id": "W0Jz9nKs" }), { outcome: { kind: "sent" }, providerMessageId: "W0Jz9nKs" }],
    ["400 on the recipient", answer(400, errors(["personalizations.0.to.0.email", "Does not contain a valid address."])), { outcome: { kind: "gone" } }],
    ["400 on from", answer(400, errors(["from.email", "The from email does not contain a valid address."])), { outcome: { kind: "failed", reason: "sender_not_allowed" } }],
    ["400 otherwise", answer(400, errors(["subject", "The subject is required."])), { outcome: { kind: "failed", reason: "bad_request" } }],
    ["401", answer(401, errors([null, "The provided authorization grant is invalid, expired, or revoked"])), { outcome: { kind: "failed", reason: "credentials_rejected" } }],
    ["403 unverified sender", answer(403, errors(["from", "The from address does not match a verified Sender Identity."])), { outcome: { kind: "failed", reason: "sender_not_allowed" } }],
    ["403 key without Mail Send", answer(403, errors([null, "access forbidden"])), { outcome: { kind: "failed", reason: "credentials_rejected" } }],
    ["413", answer(413, errors([null, "Payload too large"])), { outcome: { kind: "failed", reason: "payload_too_large" } }],
    ["429 with X-RateLimit-Reset", answer(429, errors([null, "too many requests"]), { "X-RateLimit-Reset": String(NOW / 1000 + 42) }), { outcome: { kind: "retry", reason: "rate_limited", delayS: 42 } }],
    ["429 without headers", answer(429), { outcome: { kind: "retry", reason: "rate_limited", delayS: 60 } }],
    ["500", answer(500), { outcome: { kind: "retry", reason: "server_error", delayS: 1 } }],
    ["503 with Retry-After", answer(503, "", { "Retry-After": "7" }), { outcome: { kind: "retry", reason: "server_error", delayS: 7 } }],
    ["404", answer(404), { outcome: { kind: "failed", reason: "http_404" } }],
    ["network error", { error: "network_error" as const, message: "connection refused" }, { outcome: { kind: "retry", reason: "network_error", delayS: 1 }, httpStatus: null }],
    ["timeout", { error: "timeout" as const, message: "timed out" }, { outcome: { kind: "retry", reason: "timeout", delayS: 1 }, httpStatus: null }],
  ])("%s", (_, result, expected) => {
    expect(classify(result)).toMatchObject(expected);
  });

  it("says what SendGrid said in a configuration problem, as a sentence", () => {
    const r = classify(answer(401, errors([null, "The provided authorization grant is invalid, expired, or revoked"])));
    expect(r.outcome).toMatchObject({ configProblem: "SendGrid refused the API key (HTTP 401): The provided authorization grant is invalid, expired, or revoked." });
    expect(classify(answer(401, "")).outcome).toMatchObject({ configProblem: "SendGrid refused the API key (HTTP 401)." });
  });

  it("backs off longer on later attempts of a 5xx", () => {
    const delays = [1, 4, 8].map((attempt) => (classify(answer(502), attempt).outcome as { delayS: number }).delayS);
    expect(delays[2]).toBeGreaterThan(delays[0]!);
  });
});
