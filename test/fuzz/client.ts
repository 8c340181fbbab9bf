// The fuzz test's HTTP client: calls the Worker's fetch handler in this isolate. Same Worker
// entry (workers/index.ts) as the self-binding test/helpers.ts uses, ~10× cheaper per call,
// which is what lets a run send thousands of requests. Same request and result as helpers.call.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../workers/index";
import { apiRequest, readResult, type CallOptions, type CallResult } from "../helpers";

export async function fetchWorker(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export async function direct<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
  return readResult<T>(await fetchWorker(apiRequest(method, path, opts, "10.255.0.2")));
}
