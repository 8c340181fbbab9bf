// Validation errors read as plain sentences: fields[].path stays machine-readable,
// fields[].message is the sentence, and the top-level message names the field in words.
import { describe, expect, it } from "vitest";
import { fieldLabel, fieldSentence, issueMessage } from "../../workers/lib/messages";
import { call, freshIp, tenant, uniqueEmail } from "../helpers";

describe("validation messages over HTTP", () => {
  it("says how long a password must be, naming the field", async () => {
    const r = await call("POST", "/api/auth/register", {
      body: { email: uniqueEmail("short"), password: "short", name: "Ada" },
      headers: { "CF-Connecting-IP": freshIp() },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({
      code: "validation_failed",
      message: "Password must be at least 10 characters.",
      fields: [{ path: "password", message: "Must be at least 10 characters." }],
    });
  });

  it("puts the unit after the number for fields with one, and keeps the path machine-readable", async () => {
    const { owner, site } = await tenant("ttl");
    const r = await call("PATCH", `/api/sites/${site.id}`, { token: owner.token, body: { settings: { default_ttl_s: 99_999_999 } } });
    expect(r.body.error).toEqual({
      code: "validation_failed",
      message: "Default TTL must be 2,419,200 seconds or less.",
      fields: [{ path: "settings.default_ttl_s", message: "Must be 2,419,200 or less." }],
    });
  });

  it("keeps messages written in the schema, and says how many other fields need fixing", async () => {
    const { owner, site } = await tenant("custom");
    const r = await call("PATCH", `/api/sites/${site.id}`, {
      token: owner.token,
      body: { settings: { timezone: "Mars/Olympus", allowed_origins: ["https://a.example/path"] } },
    });
    expect(r.body.error.fields).toEqual([
      { path: "settings.timezone", message: "Unknown IANA timezone." },
      { path: "settings.allowed_origins.0", message: "Must be an origin like https://shop.example.com (scheme, host, optional port; no path)." },
    ]);
    expect(r.body.error.message).toBe("Timezone: Unknown IANA timezone. 1 more field needs fixing.");
  });

  it("words URLs, required fields, unknown fields and choices plainly", async () => {
    const { owner, site } = await tenant("words");
    const url = await call("POST", "/api/sites", { token: owner.token, body: { name: "x", url: "ftp://example.com" } });
    expect(url.body.error.fields).toEqual([{ path: "url", message: "Must be a valid URL starting with https:// or http://." }]);
    expect(url.body.error.message).toBe("URL must be a valid URL starting with https:// or http://.");

    const missing = await call("POST", "/api/sites", { token: owner.token, body: { url: "https://acme.example.com" } });
    expect(missing.body.error.fields).toEqual([{ path: "name", message: "Required." }]);
    expect(missing.body.error.message).toBe("Name is required.");

    const unknown = await call("POST", "/api/sites", { token: owner.token, body: { name: "x", url: "https://acme.example.com", owner: "me" } });
    expect(unknown.body.error.fields).toEqual([{ path: "owner", message: "Unknown field." }]);
    expect(unknown.body.error.message).toBe("Unknown field: owner.");

    const choice = await call("GET", `/api/sites/${site.id}/notifications?status=bogus`, { token: owner.token });
    expect(choice.body.error.fields[0].path).toBe("status");
    expect(choice.body.error.fields[0].message).toMatch(/^Must be one of: draft, scheduled, sending, /);

    const type = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: 5, target: { all: true } } });
    expect(type.body.error.fields).toEqual([{ path: "title", message: "Must be text." }]);

    const notAnObject = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: [] });
    expect(notAnObject.body.error).toEqual({ code: "validation_failed", message: "Request body must be an object.", fields: [{ path: "", message: "Must be an object." }] });

    const target = await call("POST", `/api/sites/${site.id}/notifications`, { token: owner.token, body: { title: "x", target: {} } });
    expect(target.body.error.fields[0].path).toBe("target");
    expect(target.body.error.fields[0].message).toMatch(/^Must be one of: \{ all: true \}/);

    const item = await call("POST", `/api/sites/${site.id}/api-keys`, { token: owner.token, body: { name: "k", scopes: ["send", "everything"] } });
    expect(item.body.error.fields[0].path).toBe("scopes.1");
    expect(item.body.error.message).toMatch(/^Scopes \(item 2\) must be one of: send, notifications:read, /);
  });
});

describe("the humaniser", () => {
  it("turns machine paths into words", () => {
    expect(fieldLabel("settings.default_ttl_s")).toBe("Default TTL");
    expect(fieldLabel("subscription.keys.p256dh")).toBe("Subscription public key (p256dh)");
    expect(fieldLabel("subscription.keys.auth")).toBe("Subscription auth secret");
    expect(fieldLabel("settings.soft_prompt.delay_s")).toBe("Soft prompt delay");
    expect(fieldLabel("actions.1.title")).toBe("Button title (item 2)");
    expect(fieldLabel("target.tags.any.0")).toBe("Tags (any of) (item 1)");
    expect(fieldLabel("external_id")).toBe("External ID");
    expect(fieldLabel("some_new_field")).toBe("Some new field");
    expect(fieldLabel("retry_after_s")).toBe("Retry after");
    expect(fieldLabel("body")).toBe("Body");
    expect(fieldLabel("")).toBe("Request body");
  });

  it("builds the top-level sentence from the field's message", () => {
    expect(fieldSentence("settings.soft_prompt.delay_s", "Must be 600 or less.")).toBe("Soft prompt delay must be 600 seconds or less.");
    expect(fieldSentence("title", "Must not be empty.")).toBe("Title must not be empty.");
    expect(fieldSentence("subscription.keys.p256dh", "Is not a point on the P-256 curve.")).toBe(
      "Subscription public key (p256dh) is not a point on the P-256 curve.",
    );
    expect(fieldSentence("currency", "Use a three-letter ISO 4217 currency code such as USD or EUR.")).toBe(
      "Currency: Use a three-letter ISO 4217 currency code such as USD or EUR.",
    );
  });

  it("has a sentence for every issue kind", () => {
    expect(issueMessage({ code: "invalid_type", expected: "string", input: undefined })).toBe("Required.");
    expect(issueMessage({ code: "invalid_type", expected: "int", input: 1.5 })).toBe("Must be a whole number.");
    expect(issueMessage({ code: "too_small", origin: "string", minimum: 1, inclusive: true })).toBe("Must not be empty.");
    expect(issueMessage({ code: "too_small", origin: "array", minimum: 2, inclusive: true })).toBe("Must have at least 2 items.");
    expect(issueMessage({ code: "too_small", origin: "number", minimum: 0, inclusive: false })).toBe("Must be more than 0.");
    expect(issueMessage({ code: "too_big", origin: "string", maximum: 1, inclusive: true })).toBe("Must be at most 1 character.");
    expect(issueMessage({ code: "too_big", origin: "number", maximum: 2_419_200, inclusive: true })).toBe("Must be 2,419,200 or less.");
    expect(issueMessage({ code: "too_big", origin: "string", maximum: 2, exact: true })).toBe("Must be exactly 2 characters.");
    expect(issueMessage({ code: "invalid_format", format: "email" })).toBe("Must be a valid email address.");
    expect(issueMessage({ code: "invalid_value", values: ["draft", "scheduled"] })).toBe("Must be one of: draft, scheduled.");
    expect(issueMessage({ code: "invalid_value", values: [true] })).toBe("Must be true.");
    expect(issueMessage({ code: "unrecognized_keys", keys: ["a"] })).toBe("Unknown field.");
    expect(issueMessage({ code: "not_multiple_of", divisor: 5 })).toBe("Must be a multiple of 5.");
    expect(issueMessage({ code: "custom" })).toBe("Is not valid.");
  });
});
