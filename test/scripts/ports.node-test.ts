// npm start's port check (scripts/lib/ports.ts).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { after, describe, it } from "node:test";
import { portFree, takenPorts } from "../../scripts/lib/ports.ts";

const servers: Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

async function listen(host: string): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as { port: number }).port;
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe("port check", () => {
  it("sees a port taken on 127.0.0.1 when asked about localhost", async () => {
    const port = await listen("127.0.0.1");
    assert.equal(await portFree(port, "localhost"), false);
    assert.equal(await portFree(port, "127.0.0.1"), false);
  });

  it("sees a port taken on every address (0.0.0.0)", async () => {
    const port = await listen("0.0.0.0");
    assert.equal(await portFree(port, "localhost"), false);
  });

  it("calls an unused port free", async () => {
    assert.equal(await portFree(await unusedPort(), "localhost"), true);
  });

  it("names the taken port, the likely cause and the variable that moves it", async () => {
    const taken = await listen("127.0.0.1");
    const free = await unusedPort();
    const messages = await takenPorts([
      { port: taken, host: "localhost", envVar: "PORT" },
      { port: free, host: "127.0.0.1", what: "the local push sink", envVar: "PUSH_SINK_PORT" },
    ]);
    assert.deepEqual(messages, [`Port ${taken} is already in use — is another Herald running? Stop it or set PORT=… to use another port.`]);
  });
});
