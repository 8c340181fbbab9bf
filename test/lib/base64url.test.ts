import { describe, expect, it } from "vitest";
import { decodeBase64Url, encodeBase64Url } from "../../workers/lib/base64url";

describe("base64url", () => {
  it("round-trips every length 0..40 of random bytes and matches btoa's alphabet swap", () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      const enc = encodeBase64Url(bytes);
      expect(enc).toBe(btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
      expect(decodeBase64Url(enc)).toEqual(bytes);
    }
  });

  it("rejects characters outside the alphabet and impossible lengths", () => {
    expect(() => decodeBase64Url("ab$d")).toThrow(/character/);
    expect(() => decodeBase64Url("abcde")).toThrow(/length/);
  });
});
