// Drives the send path by hand with an injected clock: a capturing queue instead of the real
// one, so a test decides when plan and deliver messages run and what time it is for them
// (quiet hours and digest windows are about the user's wall clock).
import { env } from "cloudflare:workers";
import { type SendMessage } from "../../workers/queues/messages";
import { makeDeps, type Deps } from "../../workers/services/deps";
import { deliverBatch } from "../../workers/services/sending/deliver";
import { planSend } from "../../workers/services/sending/planner";

export function manualSender(start: number) {
  const clock = { t: start };
  const queued: SendMessage[] = [];
  const queue = {
    send: async (body: SendMessage) => void queued.push(body),
    sendBatch: async (msgs: Array<{ body: SendMessage }>) => void queued.push(...msgs.map((m) => m.body)),
  } as unknown as Env["SEND_QUEUE"];
  const deps: Deps = { ...makeDeps(env, () => clock.t), env: { ...env, SEND_QUEUE: queue } };
  /** Runs every queued message (and those they enqueue) to the end. */
  async function drain() {
    for (let m = queued.shift(); m; m = queued.shift()) {
      if (m.type === "plan") await planSend(deps, m.siteId, m.notificationId);
      else {
        const r = await deliverBatch(deps, m, 1);
        if (r.status === "retry") throw new Error(`unexpected retry: ${JSON.stringify(r)}`);
      }
    }
  }
  return { clock, queued, deps, drain };
}
