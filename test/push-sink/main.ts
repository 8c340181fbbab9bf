// Push sink: a local browser push service on loopback for dev, tests and benchmarks.
// Never talk to a real push service from tests; point subscriptions here instead.
//
//   node_modules/.bin/node test/push-sink/main.ts [--port 8790] [--slow-ms 2000]
//   import { startPushSink } from "./test/push-sink/main.ts"   // → { origin, port, close(), report(), messages(id), reset(), createSubscriptions() }
//
// Endpoints (all JSON, all state in memory):
//   POST /subscriptions   {mode?, count?, delay_ms?, applicationServerKey?} → 201 [{ id, endpoint, keys: { p256dh, auth } }]
//                         mode: ok | gone404 | gone410 | too_large413 | rate_limit_then_ok |
//                               error503_then_ok | slow | unauthorized403     (default ok)
//                         count: 1..100000 (default 1). Key pairs come from a small pool; ids,
//                         endpoints and auth secrets are unique. delay_ms: for "slow".
//   POST /push/:id        what a push service does: checks `Authorization: vapid t=…, k=…`
//                         (ES256 signature with k, aud = this origin, 0 < exp − now ≤ 24 h, sub;
//                         401 missing/malformed, 403 invalid), TTL (else 400), Content-Encoding
//                         aes128gcm (else 400), body ≤ 4096 B (else 413); decrypts (else 400);
//                         then by mode: ok → 201; gone404/gone410 → 404/410; too_large413 → 413;
//                         rate_limit_then_ok → 429 Retry-After: 1 once, then 201;
//                         error503_then_ok → 503 once, then 201; slow → 201 after delay;
//                         unauthorized403 → 403. Rejections answer { reason, message }.
//                         Only 201s record the payload (a client that hung up before a slow
//                         201 counts as rejected "client_gone"). Verified JWTs are cached by token.
//   GET  /report[?detail=1]  { received, rejected: { reason: n }, by_status: { status: n },
//                         duplicates (endpoints that got the same payload "token" twice),
//                         duplicate_messages, subscriptions, per_subscription (detail only) }
//   GET  /messages/:id    { id, mode, messages: [{ payload, ttl, urgency, topic, received_at }] }
//   POST /reset           forget subscriptions, messages and counters
import path from "node:path";
import { startPushSink } from "./sink.ts";

export { startPushSink } from "./sink.ts";
export type { PushSink, PushSinkOptions, SinkMode, SinkSubscription, ReceivedMessage } from "./sink.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const sink = await startPushSink({
    port: Number(arg("port") ?? 8790),
    slowMs: arg("slow-ms") ? Number(arg("slow-ms")) : undefined,
  });
  console.log(`push-sink listening on ${sink.origin}`);
  const stop = () => sink.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
