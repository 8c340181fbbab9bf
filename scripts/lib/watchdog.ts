// The watchdog that ends our child process groups when this process dies without cleaning up
// (SIGKILL, OOM, a crash in native code): `npm start`, the e2e tests and the benchmarks spawn
// wrangler dev and the push sink in their own process groups (so one signal reaches workerd and
// esbuild too), and a process group does not die with its parent by itself.
//
// One watchdog process per parent, spawned on first use. It sits in its own session (Ctrl+C and
// a closed terminal do not reach it) and reads "+<pgid>" / "-<pgid>" lines on stdin. The kernel
// closes the parent's end of that pipe however the parent ends, so end-of-input means "the parent
// is gone": the watchdog sends SIGTERM to every group still registered, SIGKILL 5 s later to
// whatever is left, and exits. It also checks once a second that its parent pid has not changed,
// in case something else ever held the pipe open. Tests: test/scripts/children.node-test.ts.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const WATCHDOG_MAIN = path.join(import.meta.dirname, "watchdog-main.ts");

// One per process even if this module is loaded more than once (vitest re-imports it per test file).
const SLOT = Symbol.for("herald.watchdog");
const slot = globalThis as { [SLOT]?: ChildProcess };

function start(): ChildProcess {
  const child = spawn(process.execPath, [WATCHDOG_MAIN, String(process.pid)], {
    detached: true, // its own session: the terminal's SIGINT/SIGHUP are for us, not for it
    stdio: ["pipe", "ignore", "inherit"],
  });
  child.stdin!.on("error", () => {}); // a dead watchdog must not crash its parent (EPIPE)
  // Neither the watchdog nor its pipe may keep this process alive.
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  child.once("exit", () => {
    if (slot[SLOT] === child) delete slot[SLOT];
  });
  return child;
}

/** Registers a process group to be ended if this process dies; returns the unregister function. */
export function watchGroup(pgid: number): () => void {
  const wd = (slot[SLOT] ??= start());
  wd.stdin!.write(`+${pgid}\n`);
  return () => {
    if (wd.exitCode === null && wd.signalCode === null) wd.stdin!.write(`-${pgid}\n`);
  };
}

/** The watchdog's pid (tests check that it exits with its parent). */
export function watchdogPid(): number | undefined {
  return slot[SLOT]?.pid;
}
