import { describe, expect, it } from "vitest";
import { PUSH_ERROR_BODY_MAX_CHARS } from "../../../workers/config";
import { buildPushRequest, isValidTopic, sendPush, type SendPushArgs } from "../../../workers/channels/webpush/request";

const base: SendPushArgs = {
  endpoint: "https://push.example.net/wpush/abc",
  body: new Uint8Array([1, 2, 3]),
  authorization: "vapid t=a.b.c, k=KEY",
  ttlS: 3600,
};

function recorder(response: () => Response | Promise<Response>) {
  const calls: Request[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(new Request(input, init));
    return response();
  }) as typeof fetch;
  return { calls, fetcher };
}

describe("push request", () => {
  it("POSTs the body with RFC 8030/8291/8292 headers", async () => {
    const { calls, fetcher } = recorder(() => new Response(null, { status: 201 }));
    const r = await sendPush({ ...base, urgency: "high", topic: "price-drop_42", fetcher });
    expect(r).toMatchObject({ status: 201 });
    const req = calls[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe(base.endpoint);
    expect(Object.fromEntries(req.headers)).toMatchObject({
      authorization: "vapid t=a.b.c, k=KEY",
      "content-encoding": "aes128gcm",
      "content-type": "application/octet-stream",
      ttl: "3600",
      urgency: "high",
      topic: "price-drop_42",
    });
    expect(new Uint8Array(await req.arrayBuffer())).toEqual(base.body);
  });

  it("sends TTL 0 and omits Urgency and Topic when not given", () => {
    const { init } = buildPushRequest({ ...base, ttlS: 0 });
    const h = init.headers as Record<string, string>;
    expect(h.ttl).toBe("0");
    expect(h).not.toHaveProperty("urgency");
    expect(h).not.toHaveProperty("topic");
  });

  it.each(["very-low", "low", "normal", "high"] as const)("accepts urgency %s", (urgency) => {
    expect((buildPushRequest({ ...base, urgency }).init.headers as Record<string, string>).urgency).toBe(urgency);
  });

  it("rejects an unknown urgency, a negative or fractional TTL", () => {
    expect(() => buildPushRequest({ ...base, urgency: "urgent" as never })).toThrow(/urgency/);
    expect(() => buildPushRequest({ ...base, ttlS: -1 })).toThrow(/TTL/);
    expect(() => buildPushRequest({ ...base, ttlS: 1.5 })).toThrow(/TTL/);
  });

  it.each([
    ["a", true],
    ["A-z_09", true],
    ["x".repeat(32), true],
    ["x".repeat(33), false],
    ["", false],
    ["has space", false],
    ["slash/y", false],
    ["plus+", false],
    ["pad=", false],
  ])("validates topic %j → %s", (topic, ok) => {
    expect(isValidTopic(topic)).toBe(ok);
    if (!ok && topic !== "") expect(() => buildPushRequest({ ...base, topic })).toThrow(/topic/);
  });

  it("returns status, headers and a truncated body for a rejection", async () => {
    const { fetcher } = recorder(() => new Response("x".repeat(5000), { status: 429, headers: { "retry-after": "5" } }));
    const r = await sendPush({ ...base, fetcher });
    if ("error" in r) throw new Error("expected a response");
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("5");
    expect(r.body?.length).toBe(PUSH_ERROR_BODY_MAX_CHARS);
  });

  it("reports a timeout instead of throwing when the push service hangs", async () => {
    const fetcher = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
      })) as typeof fetch;
    const r = await sendPush({ ...base, timeoutMs: 20, fetcher });
    expect(r).toMatchObject({ error: "timeout" });
  });

  it("reports a network error instead of throwing", async () => {
    const fetcher = (async () => {
      throw new TypeError("connection refused");
    }) as typeof fetch;
    expect(await sendPush({ ...base, fetcher })).toEqual({ error: "network_error", message: "connection refused" });
  });
});
