// The fuzz test's HTTP client: calls the Worker's fetch handler in this isolate. Same Worker
// entry (workers/index.ts) as the self-binding test/helpers.ts uses, ~10× cheaper per call,
// which is what lets a run send thousands of requests. Same result shape as helpers.call.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../workers/index";
import type { CallResult } from "../helpers";

export async function fetchWorker(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export async function direct<T = any>(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { "CF-Connecting-IP": "10.255.0.2", ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["Content-Type"] ??= "application/json";
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const res = await fetchWorker(new Request(`http://herald.test${path}`, { method, headers, body }));
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
