// Provider APIs inside the test isolate: replaces global fetch for the real provider origins
// (https://api.sendgrid.com, https://api.resend.com) and for the DNS-over-HTTPS resolver that
// safe-fetch asks first (every name resolves to a public address), records what each provider
// received, and answers from a script (default: the provider's success answer).
import { vi } from "vitest";

export interface ProviderCall {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

export type Scripted = { status: number; body?: unknown; headers?: Record<string, string> };

const SUCCESS: Record<string, () => Scripted> = {
  "https://api.sendgrid.com": () => ({ status: 202, headers: { "x-message-id": `sg${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}` } }),
  "https://api.resend.com": () => ({ status: 200, body: { id: crypto.randomUUID() } }),
};

export function installFakeProviders() {
  const calls: ProviderCall[] = [];
  const script: Scripted[] = [];
  const realFetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    if (url.hostname === "cloudflare-dns.com") {
      const type = url.searchParams.get("type");
      const answer = type === "A" ? [{ name: url.searchParams.get("name"), type: 1, TTL: 300, data: "93.184.215.14" }] : [];
      return Response.json({ Status: 0, Answer: answer });
    }
    const success = SUCCESS[url.origin];
    if (!success) return realFetch(input as RequestInfo, init);
    calls.push({ url: req.url, method: req.method, headers: req.headers, body: await req.text() });
    const next = script.shift() ?? success();
    return new Response(next.body === undefined ? null : JSON.stringify(next.body), {
      status: next.status,
      headers: { ...(next.body === undefined ? {} : { "content-type": "application/json" }), ...next.headers },
    });
  });
  return {
    calls,
    /** The next answers, in order; then the provider's success answer again. */
    answer: (...answers: Scripted[]) => script.push(...answers),
    restore: () => spy.mockRestore(),
  };
}
