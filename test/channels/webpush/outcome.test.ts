import { describe, expect, it } from "vitest";
import {
  RETRY_AFTER_DEFAULT_S,
  RETRY_AFTER_MAX_S,
  RETRY_BASE_DELAY_S,
  RETRY_MAX_DELAY_S,
  RETRY_MIN_DELAY_S,
} from "../../../workers/config";
import { classifyPushResult } from "../../../workers/channels/webpush/outcome";
import { backoffDelayS } from "../../../workers/lib/backoff";
import type { PushResult } from "../../../workers/channels/webpush/request";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const res = (status: number, headers: Record<string, string> = {}): PushResult => ({ status, headers: new Headers(headers) });
const classify = (r: PushResult, attempt = 1, random = () => 0.5) => classifyPushResult(r, attempt, { random, now: () => NOW });

describe("push outcome mapping", () => {
  it.each([200, 201, 202])("counts %i as sent", (status) => {
    expect(classify(res(status))).toEqual({ kind: "sent" });
  });

  it.each([404, 410])("prunes the subscription on %i", (status) => {
    expect(classify(res(status))).toEqual({ kind: "gone", status });
  });

  it("fails permanently on 413 as payload_too_large", () => {
    expect(classify(res(413))).toEqual({ kind: "failed", reason: "payload_too_large", status: 413 });
  });

  it.each([
    [401, "vapid_rejected"],
    [403, "vapid_rejected"],
    [400, "bad_request"],
  ])("flags %i as a VAPID/configuration problem and keeps the subscriber", (status, reason) => {
    expect(classify(res(status))).toEqual({ kind: "failed", reason, status, vapidProblem: true });
  });

  it.each([301, 405, 418, 422])("fails permanently on unexpected %i with http_<status>", (status) => {
    expect(classify(res(status))).toEqual({ kind: "failed", reason: `http_${status}`, status });
  });

  it.each([
    ["120", 120],
    [" 7 ", 7],
    ["0", RETRY_MIN_DELAY_S],
    ["999999", RETRY_AFTER_MAX_S],
    [new Date(NOW + 90_000).toUTCString(), 90],
    [new Date(NOW - 90_000).toUTCString(), RETRY_MIN_DELAY_S],
    ["soon", RETRY_AFTER_DEFAULT_S],
    ["1.5", RETRY_AFTER_DEFAULT_S],
  ])("retries 429 after Retry-After %j → %i s", (value, delayS) => {
    expect(classify(res(429, { "retry-after": value }))).toEqual({ kind: "retry", reason: "rate_limited", delayS });
  });

  it("retries 429 without Retry-After after the default delay", () => {
    expect(classify(res(429))).toEqual({ kind: "retry", reason: "rate_limited", delayS: RETRY_AFTER_DEFAULT_S });
  });

  it.each([500, 502, 503, 504])("retries %i as server_error with backoff", (status) => {
    expect(classify(res(status), 3, () => 0.999)).toEqual({
      kind: "retry",
      reason: "server_error",
      delayS: RETRY_BASE_DELAY_S * 4,
    });
  });

  it("honours Retry-After on a 503", () => {
    expect(classify(res(503, { "retry-after": "30" }))).toEqual({ kind: "retry", reason: "server_error", delayS: 30 });
  });

  it.each(["timeout", "network_error"] as const)("retries a %s with backoff", (error) => {
    const out = classify({ error, message: "boom" }, 2, () => 0.999);
    expect(out).toEqual({ kind: "retry", reason: error, delayS: RETRY_BASE_DELAY_S * 2 });
  });

  it("backs off exponentially with full jitter, floored and capped", () => {
    expect(backoffDelayS(1, () => 0)).toBe(RETRY_MIN_DELAY_S);
    expect(backoffDelayS(1, () => 0.999)).toBe(RETRY_BASE_DELAY_S);
    expect(backoffDelayS(5, () => 0.999)).toBe(RETRY_BASE_DELAY_S * 16);
    expect(backoffDelayS(5, () => 0.5)).toBe(RETRY_BASE_DELAY_S * 8);
    expect(backoffDelayS(100, () => 0.999)).toBe(RETRY_MAX_DELAY_S);
    const seen = new Set(Array.from({ length: 200 }, () => backoffDelayS(6)));
    expect(seen.size).toBeGreaterThan(10); // jittered, not a fixed delay
    for (const d of seen) expect(d).toBeLessThanOrEqual(RETRY_BASE_DELAY_S * 32);
  });
});
