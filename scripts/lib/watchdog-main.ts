// The watchdog process itself (started by watchdog.ts, which explains why it exists):
//   node scripts/lib/watchdog-main.ts <parent pid>     stdin: "+<pgid>\n" watch, "-<pgid>\n" forget
import { groupAlive, signalGroup } from "./children.ts";

/** SIGTERM first so wrangler and workerd can close their sockets; SIGKILL after this. */
const GRACE_MS = 5000;

const parentPid = Number(process.argv[2]);
const groups = new Set<number>();
let ending = false;

async function endAll(): Promise<void> {
  if (ending) return;
  ending = true;
  for (const pgid of groups) signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + GRACE_MS;
  while ([...groups].some(groupAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pgid of groups) if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
  process.exit(0);
}

let pending = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  pending += chunk;
  for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line[0] === "+") groups.add(pgid);
    else if (line[0] === "-") groups.delete(pgid);
  }
});
process.stdin.on("end", endAll);
process.stdin.on("error", endAll);
// Orphaned, we are re-parented (to init or a subreaper): the parent is gone even if the pipe is not.
setInterval(() => {
  if (process.ppid !== parentPid) void endAll();
}, 1000);
// In its own session these should never arrive; if they do, they are not the parent's death.
process.on("SIGINT", () => {});
process.on("SIGHUP", () => {});
