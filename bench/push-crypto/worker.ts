// Bench worker (bundled by run.ts with esbuild, run in workerd via Miniflare).
// POST /setup {subs, vapid, payload} once; POST /run?impl=…&n=… runs n messages back to
// back and returns the time measured inside the isolate around the loop.
//
// Implementations (what a sender does per message):
//   herald           cached VAPID header for the origin + fresh ECDH + encrypt + build request
//   herald-hmac      same, key schedule via hand-rolled HMAC (for the HKDF-vs-HMAC choice)
//   herald-nocache   herald, but VAPID signed per message (new signer each time)
//   block65          @block65/webcrypto-web-push buildPushPayload (signs + encrypts, pads to 4096)
import { buildPushPayload } from "@block65/webcrypto-web-push";
import { encryptPayload } from "../../workers/channels/webpush/encrypt";
import { buildPushRequest } from "../../workers/channels/webpush/request";
import { createVapidSigner, type VapidSigner } from "../../workers/channels/webpush/vapid";
import { encryptPayloadHmac } from "./hmac-variant";

interface Sub {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}
interface Setup {
  subs: Sub[];
  vapid: { publicKey: string; privateKey: string; subject: string };
  payload: string;
}

let setup: Setup | undefined;
let signer: VapidSigner | undefined;
let payloadBytes = new Uint8Array();
let sink = 0; // keeps results observable so nothing is optimised away

async function one(impl: string, i: number): Promise<void> {
  const s = setup!;
  const sub = s.subs[i % s.subs.length]!;
  switch (impl) {
    case "herald":
    case "herald-hmac": {
      const authorization = await signer!.authorizationFor(sub.endpoint);
      const body = impl === "herald" ? await encryptPayload(payloadBytes, sub.keys) : await encryptPayloadHmac(payloadBytes, sub.keys);
      sink += buildPushRequest({ endpoint: sub.endpoint, body, authorization, ttlS: 86400 }).url.length + body.length;
      return;
    }
    case "herald-nocache": {
      const authorization = await createVapidSigner(s.vapid).authorizationFor(sub.endpoint);
      const body = await encryptPayload(payloadBytes, sub.keys);
      sink += buildPushRequest({ endpoint: sub.endpoint, body, authorization, ttlS: 86400 }).url.length + body.length;
      return;
    }
    case "block65": {
      const req = await buildPushPayload({ data: s.payload, options: { ttl: 86400 } }, { ...sub, expirationTime: null }, s.vapid);
      sink += req.body.length;
      return;
    }
    default:
      throw new Error(`unknown impl ${impl}`);
  }
}

export default {
  async fetch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/setup") {
      setup = (await req.json()) as Setup;
      signer = createVapidSigner(setup.vapid);
      payloadBytes = new TextEncoder().encode(setup.payload);
      return Response.json({ ok: true, subs: setup.subs.length });
    }
    if (url.pathname === "/run") {
      const impl = url.searchParams.get("impl")!;
      const n = Number(url.searchParams.get("n"));
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await one(impl, i);
      const inside = performance.now() - t0; // may read 0 where timers only advance on I/O
      return Response.json({ n, insideMs: inside, sink });
    }
    return new Response("not found", { status: 404 });
  },
};
