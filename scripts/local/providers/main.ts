// The local provider server as a process: SendGrid, Resend, Twilio and FCM stand-ins on one
// loopback origin, for npm start (scripts/dev.ts starts it) and by hand.
//
//   node_modules/.bin/node scripts/local/providers/main.ts [--port 8791]
//
// Point Herald at it with PROVIDER_ORIGIN_OVERRIDES (real=local pairs, e.g.
// https://api.sendgrid.com=http://127.0.0.1:8791) and list the origin in OUTBOUND_ALLOW_ORIGINS.
// Endpoints: server.ts (control API) and each stand-in's header (its API and failure modes).
import path from "node:path";
import { startProviderStandIns } from "./server.ts";

export { startProviderStandIns } from "./server.ts";
export type { ProviderStandIns, ProviderStandInOptions } from "./server.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const server = await startProviderStandIns({ port: Number(arg("port") ?? 8791) });
  console.log(`provider stand-ins listening on ${server.origin}`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
