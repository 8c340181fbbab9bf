// Keeps one child of npm start running (the edge, the push sink). When it dies and nobody asked it
// to, the supervisor says what died and how, ends what is left of it, waits (a growing backoff),
// and starts it again. A child that keeps dying soon after each start — a broken build, a port
// someone else took — is not restarted forever: after `maxQuickFailures` such deaths in a row the
// supervisor gives up and says so. A death after a long healthy run starts the count afresh.
// Pure over an injectable clock, so test/scripts/supervise.node-test.ts runs it in milliseconds.
import { describeExit, type ExitInfo } from "./children.ts";

export interface Supervised {
  exited: Promise<ExitInfo>;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** Wait before the 1st, 2nd, … restart in a row; the last entry repeats. */
  backoffMs: number[];
  /** A child that dies within this long of starting counts as a quick failure. */
  quickMs: number;
  /** Quick failures in a row tolerated; one more and the supervisor gives up. */
  maxQuickFailures: number;
}

export const DEFAULT_POLICY: RestartPolicy = { backoffMs: [1000, 2000, 5000, 10_000], quickMs: 60_000, maxQuickFailures: 5 };

export interface SuperviseOptions<T extends Supervised> {
  /** What the messages call it: "The edge (wrangler dev)". */
  name: string;
  /** Starts a new one; resolves when it is ready (throws if it could not start). Aborted on stop(). */
  start(signal: AbortSignal): Promise<T>;
  log(message: string): void;
  /** After each successful restart (npm start points its cron driver at the new edge). */
  onRestart?(child: T): void;
  /** The supervisor stopped restarting: npm start shuts down with this message. */
  onGiveUp(message: string): void;
  policy?: Partial<RestartPolicy>;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface Supervisor<T> {
  current(): T;
  /** Stops supervising and stops the child. */
  stop(): Promise<void>;
  /** Settles when supervision ends: after stop() or after giving up. */
  done: Promise<void>;
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export function supervise<T extends Supervised>(first: T, opts: SuperviseOptions<T>): Supervisor<T> {
  const policy = { ...DEFAULT_POLICY, ...opts.policy };
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const aborter = new AbortController();
  let child = first;
  let startedAt = now();
  let stopped = false;
  let quickFailures = 0;

  const loop = async () => {
    for (;;) {
      const info = await child.exited;
      if (stopped) return;
      await child.stop(); // wrangler can die and leave workerd holding the port
      let ranMs = now() - startedAt;
      let what = `${describeExit(info)} after ${formatDuration(ranMs)}`;
      for (;;) {
        quickFailures = ranMs < policy.quickMs ? quickFailures + 1 : 1;
        if (quickFailures > policy.maxQuickFailures) {
          opts.onGiveUp(
            `${opts.name} ${what}: ${quickFailures} failures in a row, each within ${formatDuration(policy.quickMs)} of starting. Giving up — its output is above.`,
          );
          return;
        }
        const delay = policy.backoffMs[Math.min(quickFailures, policy.backoffMs.length) - 1] ?? 0;
        opts.log(`${opts.name} ${what}. Restarting it in ${formatDuration(delay)} (restart ${quickFailures} of at most ${policy.maxQuickFailures} in a row).`);
        await sleep(delay, aborter.signal);
        if (stopped) return;
        const attemptAt = now();
        try {
          child = await opts.start(aborter.signal);
        } catch (err) {
          if (stopped) return;
          ranMs = now() - attemptAt;
          what = `failed to start again (${String((err as Error).message ?? err).split("\n")[0]!.replace(/:$/, "")})`;
          continue;
        }
        if (stopped) return void (await child.stop());
        startedAt = now();
        opts.log(`${opts.name} is running again.`);
        opts.onRestart?.(child);
        break;
      }
    }
  };
  const done = loop();
  return {
    current: () => child,
    done,
    async stop() {
      stopped = true;
      aborter.abort();
      await child.stop();
      await done;
    },
  };
}
