// Is a TCP port free? npm start asks before starting anything: wrangler dev whose port is taken
// does not fail — workerd logs "Address already in use" while the other process (often an
// earlier Herald) keeps answering /healthz, so the new run would look healthy and be nothing.
import { connect, createServer } from "node:net";

/** Some other process accepts connections on host:port (whatever address it bound). */
function answers(port: number, host: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** We could bind host:port ourselves (EADDRNOTAVAIL: no such address here, e.g. no IPv6 — not a conflict). */
function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => resolve(err.code !== "EADDRINUSE" && err.code !== "EACCES"));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Hosts to check for a listen address: "localhost" may resolve to either loopback. */
function hostsFor(host: string): string[] {
  return host === "localhost" ? ["127.0.0.1", "::1"] : [host];
}

/** True when nothing listens on the port at host and we could bind it. */
export async function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  for (const h of hostsFor(host)) {
    if (!(await bindable(port, h))) return false;
    if (await answers(port, h, 500)) return false;
  }
  return true;
}

export interface PortNeed {
  port: number;
  host: string;
  /** What wants it, for the message: "Port 8790 (the local push sink)". */
  what?: string;
  /** The environment variable that moves it, for the message. */
  envVar: string;
}

/** The sentence npm start prints when a port is taken. */
export function portInUseMessage(need: PortNeed): string {
  const what = need.what ? ` (${need.what})` : "";
  return `Port ${need.port}${what} is already in use — is another Herald running? Stop it or set ${need.envVar}=… to use another port.`;
}

/** The messages for every needed port that is taken (empty: all free). */
export async function takenPorts(needs: PortNeed[]): Promise<string[]> {
  const taken: string[] = [];
  for (const need of needs) if (!(await portFree(need.port, need.host))) taken.push(portInUseMessage(need));
  return taken;
}
