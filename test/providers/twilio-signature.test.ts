// Twilio's X-Twilio-Signature (HMAC-SHA1 of URL + sorted params under the auth token) and
// what a status callback's parameters mean for a delivery.
import { describe, expect, it } from "vitest";
import { twilioSignature, verifyTwilioSignature } from "../../workers/providers/twilio/signature";
import { twilioStatusUpdate } from "../../workers/providers/twilio/status";

// Twilio's documented example (webhooks-security; TwilioDevEd/api-snippets signature_validation).
const DOC_TOKEN = "12345";
const DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
const DOC_PARAMS: Array<[string, string]> = [
  ["CallSid", "CA1234567890ABCDE"],
  ["Caller", "+14158675310"],
  ["Digits", "1234"],
  ["From", "+14158675310"],
  ["To", "+18005551212"],
];
const DOC_SIGNATURE = "GvWf1cFY/Q7PnoempGyD5oXAezc=";

describe("X-Twilio-Signature", () => {
  it("matches Twilio's documented example (URL with a query string, params sorted by name)", async () => {
    expect(await twilioSignature(DOC_TOKEN, DOC_URL, [...DOC_PARAMS].reverse())).toBe(DOC_SIGNATURE);
    expect(await verifyTwilioSignature(DOC_TOKEN, DOC_URL, DOC_PARAMS, DOC_SIGNATURE)).toBe(true);
  });

  it("refuses a tampered parameter, a changed query string, another URL and a wrong token", async () => {
    const tampered = DOC_PARAMS.map(([k, v]): [string, string] => (k === "Digits" ? [k, "9999"] : [k, v]));
    expect(await verifyTwilioSignature(DOC_TOKEN, DOC_URL, tampered, DOC_SIGNATURE)).toBe(false);
    expect(await verifyTwilioSignature(DOC_TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=3", DOC_PARAMS, DOC_SIGNATURE)).toBe(false);
    expect(await verifyTwilioSignature(DOC_TOKEN, "https://mycompany.com/myapp.php", DOC_PARAMS, DOC_SIGNATURE)).toBe(false);
    expect(await verifyTwilioSignature("54321", DOC_URL, DOC_PARAMS, DOC_SIGNATURE)).toBe(false);
    expect(await verifyTwilioSignature(DOC_TOKEN, DOC_URL, [...DOC_PARAMS, ["Extra", "1"]], DOC_SIGNATURE)).toBe(false);
  });

  it("refuses a missing or malformed header without throwing", async () => {
    for (const sig of [null, undefined, "", "not base64!", "GvWf1cFY/Q7PnoempGyD5oXAez=", `${DOC_SIGNATURE}x`]) {
      expect(await verifyTwilioSignature(DOC_TOKEN, DOC_URL, DOC_PARAMS, sig)).toBe(false);
    }
  });

  it("accepts the URL signed with or without the default port, as Twilio's libraries do", async () => {
    const withPort = await twilioSignature(DOC_TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", DOC_PARAMS);
    expect(await verifyTwilioSignature(DOC_TOKEN, DOC_URL, DOC_PARAMS, withPort)).toBe(true);
    const other = await twilioSignature(DOC_TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", DOC_PARAMS);
    expect(await verifyTwilioSignature(DOC_TOKEN, DOC_URL, DOC_PARAMS, other)).toBe(false);
  });

  it("sorts repeated names by value and compares names case-sensitively", async () => {
    const a = await twilioSignature("t", "https://x.test/cb", [["b", "2"], ["B", "1"], ["a", "z"], ["a", "y"]]);
    const b = await twilioSignature("t", "https://x.test/cb", [["a", "y"], ["a", "z"], ["B", "1"], ["b", "2"]]);
    expect(a).toBe(b);
    // Upper case sorts first (byte order): "B1" "ay" "az" "b2".
    const text = "https://x.test/cbB1ayazb2";
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("t"), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
    expect(a).toBe(btoa(String.fromCharCode(...mac)));
  });
});

describe("Twilio status callback parameters", () => {
  const params = (p: Record<string, string>) => new URLSearchParams({ MessageSid: "SM1", SmsSid: "SM1", AccountSid: "AC1", ...p });

  it("records delivered (and WhatsApp read) as delivered", () => {
    expect(twilioStatusUpdate(params({ MessageStatus: "delivered" }))).toEqual({ providerMessageId: "SM1", accountSid: "AC1", status: "delivered" });
    expect(twilioStatusUpdate(params({ MessageStatus: "read" }))?.status).toBe("delivered");
  });

  it("records undelivered with the ErrorCode and a sentence", () => {
    expect(twilioStatusUpdate(params({ MessageStatus: "undelivered", ErrorCode: "30007" }))).toEqual({
      providerMessageId: "SM1",
      accountSid: "AC1",
      status: "undelivered",
      providerCode: "30007",
      detail: "The carrier filtered the message (spam or content rules).",
    });
  });

  it.each(["30005", "30006", "21211", "21614", "21610"])("marks the number unusable on ErrorCode %s", (code) => {
    expect(twilioStatusUpdate(params({ MessageStatus: "undelivered", ErrorCode: code }))).toMatchObject({ status: "undelivered", providerCode: code, addressUnusable: true });
    expect(twilioStatusUpdate(params({ MessageStatus: "failed", ErrorCode: code }))).toMatchObject({ status: "failed", addressUnusable: true });
  });

  it("keeps the number on 30003 (a phone switched off comes back)", () => {
    expect(twilioStatusUpdate(params({ MessageStatus: "undelivered", ErrorCode: "30003" }))).not.toHaveProperty("addressUnusable");
  });

  it("explains 63016 (WhatsApp outside the 24-hour window) on a failed message", () => {
    expect(twilioStatusUpdate(params({ MessageStatus: "failed", ErrorCode: "63016" }))).toMatchObject({
      status: "failed",
      providerCode: "63016",
      detail: expect.stringMatching(/template/),
    });
  });

  it.each(["queued", "accepted", "sending", "sent", "scheduled", "canceled", ""])("records nothing for %j", (status) => {
    expect(twilioStatusUpdate(params({ MessageStatus: status }))).toBeNull();
  });

  it("records nothing without a message SID", () => {
    expect(twilioStatusUpdate(new URLSearchParams({ MessageStatus: "delivered" }))).toBeNull();
  });
});
