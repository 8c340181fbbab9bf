// Idempotency-Key for routes that create (POST …/notifications, POST …/messages): the header's
// schema, its extra error responses, and the wrapper that runs a handler under the key
// (services/idempotency.ts stores and replays the first response).
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type AppEnv, errorResponse } from "../lib/hono";
import { withIdempotency } from "../services/idempotency";

export const IdempotencyHeader = z.object({ "idempotency-key": z.string().max(255).optional().openapi({ description: "Replays the first response for retries" }) });

/** What an Idempotency-Key can answer besides the replayed response. */
export const idempotencyErrors = {
  409: errorResponse("A request with this Idempotency-Key is still running (idempotency_in_progress)"),
  422: errorResponse("Idempotency-Key reused with another request (idempotency_conflict)"),
};

/** Runs `run` under the request's Idempotency-Key (if any); `body` is what makes two requests "the same". */
export function idempotent(c: Context<AppEnv>, body: unknown, run: () => Promise<{ status: 201 | 202; body: unknown }>) {
  const request = `${c.req.method} ${c.req.path} ${JSON.stringify(body)}`;
  return withIdempotency(c.var.deps, c.var.access.siteId, c.req.header("Idempotency-Key"), request, run).then((r) => {
    if (r.replayed) c.header("Idempotent-Replayed", "true");
    return r;
  });
}
