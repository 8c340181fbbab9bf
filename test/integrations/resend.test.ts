// Resend: the send email request as Resend documents it, and its decision table
// (workers/providers/resend/outcome.ts).
import { describe, expect, it } from "vitest";
import { resendCredentialsSchema, resendHint } from "../../workers/providers/resend/credentials";
import { classifyResendResult } from "../../workers/providers/resend/outcome";
import { buildResendRequest, mailbox } from "../../workers/providers/resend/request";

const KEY = "re_123456789_AbCdEfGhIjKlMnOpQrStUvWx";
const NOW = 1_800_000_000_000;
const answer = (status: number, body: unknown = "", headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const error = (statusCode: number, name: string, message: string) => answer(statusCode, { statusCode, name, message });
const classify = (r: Parameters<typeof classifyResendResult>[0]) => classifyResendResult(r, 1, { now: () => NOW, random: () => 0.5 });

describe("Resend send email request", () => {
  it("posts from, to, subject, html and text with the Bearer key", () => {
    const { url, init } = buildResendRequest("https://api.resend.com", { api_key: KEY }, { from_email: "hi@acme.example.com", from_name: "Acme" }, {
      to: "ada@example.com",
      subject: "Hi",
      html: "<b>Hi</b>",
      text: "Hi",
    });
    expect(url).toBe("https://api.resend.com/emails");
    expect(init.headers).toEqual({ authorization: `Bearer ${KEY}`, "content-type": "application/json" });
    expect(init.body).toBe('{"from":"Acme <hi@acme.example.com>","to":["ada@example.com"],"subject":"Hi","html":"<b>Hi</b>","text":"Hi"}');
  });

  it("quotes a display name with punctuation (RFC 5322)", () => {
    expect(mailbox("a@b.example")).toBe("a@b.example");
    expect(mailbox("a@b.example", "Zoë Café")).toBe("Zoë Café <a@b.example>");
    expect(mailbox("a@b.example", 'Acme, "Inc"')).toBe('"Acme, \\"Inc\\"" <a@b.example>');
  });

  it("validates the key and hints with its last 4 characters", () => {
    expect(resendCredentialsSchema.safeParse({ api_key: KEY }).success).toBe(true);
    expect(resendCredentialsSchema.safeParse({ api_key: "SG.x.y" }).success).toBe(false);
    expect(resendHint({ api_key: KEY })).toBe("••••UvWx");
  });
});

describe("Resend answer → outcome", () => {
  it.each([
    ["200 { id }", answer(200, { id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" }), { outcome: { kind: "sent" }, providerMessageId: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" }],
    ["422 invalid to", error(422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format."), { outcome: { kind: "gone" }, providerCode: "validation_error" }],
    ["422 invalid from", error(422, "validation_error", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format."), { outcome: { kind: "failed", reason: "sender_not_allowed" } }],
    ["422 missing field", error(422, "missing_required_field", "Missing `subject` field."), { outcome: { kind: "failed", reason: "bad_request" } }],
    ["401 missing_api_key", error(401, "missing_api_key", "Missing API key in the authorization header."), { outcome: { kind: "failed", reason: "credentials_rejected" } }],
    ["403 invalid_api_key", error(403, "invalid_api_key", "API key is invalid"), { outcome: { kind: "failed", reason: "credentials_rejected" } }],
    ["403 unverified domain", error(403, "validation_error", "The acme.example.com domain is not verified. Please, add and verify your domain."), { outcome: { kind: "failed", reason: "sender_not_allowed" } }],
    ["429 with retry-after", error(429, "rate_limit_exceeded", "Too many requests."), { outcome: { kind: "retry", reason: "rate_limited", delayS: 60 } }],
    ["429 retry-after 2", answer(429, { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests." }, { "retry-after": "2" }), { outcome: { kind: "retry", reason: "rate_limited", delayS: 2 } }],
    ["500", error(500, "internal_server_error", "An unexpected error occurred."), { outcome: { kind: "retry", reason: "server_error", delayS: 1 } }],
    ["404", error(404, "not_found", "The requested endpoint does not exist."), { outcome: { kind: "failed", reason: "http_404" } }],
    ["network error", { error: "network_error" as const, message: "refused" }, { outcome: { kind: "retry", reason: "network_error" }, httpStatus: null }],
  ])("%s", (_, result, expected) => {
    expect(classify(result)).toMatchObject(expected);
  });
});
