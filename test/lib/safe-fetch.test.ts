// safeFetch with an injected fetcher that plays the internet (sites and a DoH resolver),
// plus two calls through workerd's real fetch to pin down how its errors are mapped.
import { describe, expect, it } from "vitest";
import { type DnsCache, isPublicAddress, outboundPolicy, safeFetch, type SafeFetchOptions } from "../../workers/lib/safe-fetch";

const DOH = "https://doh.test/dns-query";
type Handler = (req: Request) => Response | Promise<Response>;
type DnsAnswer = string[] | "nxdomain" | "servfail" | "http_500" | "throw";

/** A fake network: `sites` by exact URL or origin, `dns` by host name (A and AAAA mixed). */
function net(sites: Record<string, Handler> = {}, dns: Record<string, DnsAnswer> = {}, ttl = 300) {
  const calls: Request[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input instanceof URL ? input.href : input, init);
    calls.push(req);
    const url = new URL(req.url);
    if (url.origin + url.pathname === DOH) {
      const name = url.searchParams.get("name")!;
      const type = url.searchParams.get("type") === "A" ? 1 : 28;
      const answer = dns[name] ?? ["93.184.215.14"];
      if (answer === "throw") throw new Error("Network connection lost.");
      if (answer === "http_500") return new Response("oops", { status: 500 });
      if (answer === "nxdomain") return Response.json({ Status: 3 });
      if (answer === "servfail") return Response.json({ Status: 2 });
      const records = answer
        .filter((a) => a.includes(":") === (type === 28))
        .map((data) => ({ name, type, TTL: ttl, data }));
      return Response.json({ Status: 0, Answer: [{ name, type: 5, TTL: ttl, data: "alias.example.net." }, ...records] });
    }
    const handler = sites[req.url] ?? sites[url.origin];
    if (!handler) throw new Error(`test network has no ${req.url}`);
    return handler(req);
  }) as typeof fetch;
  const siteCalls = () => calls.filter((r) => !r.url.startsWith(DOH)).map((r) => r.url);
  const dohCalls = () => calls.filter((r) => r.url.startsWith(DOH)).length;
  const options = (more: Partial<SafeFetchOptions> = {}): SafeFetchOptions => ({ fetcher, dohUrl: DOH, dnsCache: new Map(), ...more });
  return { fetcher, calls, siteCalls, dohCalls, options };
}

const ok: Handler = () => new Response("hello");
const PRIVATE = "is in a private network; Herald only fetches public https addresses.";

describe("safeFetch refuses addresses outside the public internet", () => {
  const literals: [string, string, string][] = [
    ["loopback", "https://127.0.0.1/", "127.0.0.1"],
    ["loopback, end of range", "https://127.255.255.254/", "127.255.255.254"],
    ["loopback as a decimal integer", "https://2130706433/", "127.0.0.1"],
    ["loopback in hex", "https://0x7f.1/", "127.0.0.1"],
    ["loopback in octal", "https://017700000001/", "127.0.0.1"],
    ["loopback shortened", "https://127.1/", "127.0.0.1"],
    ["loopback with a trailing dot", "https://127.0.0.1./", "127.0.0.1"],
    ["loopback with a port", "http://127.0.0.1:9/", "127.0.0.1"],
    ["RFC 1918 10/8", "https://10.1.2.3/", "10.1.2.3"],
    ["RFC 1918 172.16/12", "https://172.16.0.1/", "172.16.0.1"],
    ["RFC 1918 172.16/12, end of range", "https://172.31.255.255/", "172.31.255.255"],
    ["RFC 1918 192.168/16", "https://192.168.1.1/", "192.168.1.1"],
    ["link-local cloud metadata", "https://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["CGNAT 100.64/10", "https://100.64.0.1/", "100.64.0.1"],
    ["CGNAT, end of range", "https://100.127.255.255/", "100.127.255.255"],
    ["unspecified 0.0.0.0", "https://0.0.0.0/", "0.0.0.0"],
    ["this network 0/8", "https://0.1.2.3/", "0.1.2.3"],
    ["multicast", "https://224.0.0.1/", "224.0.0.1"],
    ["multicast SSDP", "https://239.255.255.250/", "239.255.255.250"],
    ["broadcast", "https://255.255.255.255/", "255.255.255.255"],
    ["reserved 240/4", "https://240.0.0.1/", "240.0.0.1"],
    ["benchmarking 198.18/15", "https://198.19.0.1/", "198.19.0.1"],
    ["documentation TEST-NET-1", "https://192.0.2.1/", "192.0.2.1"],
    ["documentation TEST-NET-2", "https://198.51.100.7/", "198.51.100.7"],
    ["documentation TEST-NET-3", "https://203.0.113.9/", "203.0.113.9"],
    ["IETF protocol assignments 192.0.0/24", "https://192.0.0.170/", "192.0.0.170"],
    ["IPv6 loopback", "https://[::1]/", "::1"],
    ["IPv6 unspecified", "https://[::]/", "::"],
    ["IPv6 link-local fe80::/10", "https://[fe80::1]/", "fe80::1"],
    ["IPv6 ULA fc00::/7", "https://[fd12:3456:789a::1]/", "fd12:3456:789a::1"],
    ["IPv6 ULA fc00::/8 half", "https://[fc00::1]/", "fc00::1"],
    ["IPv6 site-local (deprecated)", "https://[fec0::1]/", "fec0::1"],
    ["IPv6 multicast", "https://[ff02::1]/", "ff02::1"],
    ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/", "::ffff:7f00:1"],
    ["IPv4-mapped metadata", "https://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe"],
    ["IPv4-compatible loopback", "https://[::127.0.0.1]/", "::7f00:1"],
    ["IPv4-translated RFC 1918", "https://[::ffff:0:10.0.0.1]/", "::ffff:0:a00:1"],
    ["NAT64 of loopback", "https://[64:ff9b::127.0.0.1]/", "64:ff9b::7f00:1"],
    ["NAT64 of metadata", "https://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe"],
    ["local-use NAT64 64:ff9b:1::/48", "https://[64:ff9b:1::1]/", "64:ff9b:1::1"],
    ["6to4 of loopback", "https://[2002:7f00:1::]/", "2002:7f00:1::"],
    ["Teredo / IETF 2001::/23", "https://[2001::1]/", "2001::1"],
    ["IPv6 documentation 2001:db8::/32", "https://[2001:db8::1]/", "2001:db8::1"],
    ["IPv6 discard-only 100::/64", "https://[100::1]/", "100::1"],
  ];
  it.each(literals)("refuses %s without fetching it (%s)", async (_label, url, host) => {
    const n = net({ [new URL(url).origin]: ok });
    const r = await safeFetch(url, n.options());
    expect(r).toMatchObject({ ok: false, reason: "private_address", message: `The address ${host} ${PRIVATE}` });
    expect(n.calls).toHaveLength(0);
  });

  it.each([
    ["172.32.0.1"],
    ["100.128.0.1"],
    ["11.0.0.1"],
    ["169.255.0.1"],
    ["198.20.0.1"],
    ["1.1.1.1"],
    ["2606:4700:4700::1111"],
    ["2a00:1450:4001:80b::200e"],
    ["::ffff:8.8.8.8"],
    ["64:ff9b::808:808"],
  ])("lets the public address %s next to those ranges through", async (address) => {
    expect(isPublicAddress(address)).toBe(true);
    const url = address.includes(":") ? `https://[${address}]/` : `https://${address}/`;
    const n = net({ [new URL(url).origin]: ok });
    expect(await safeFetch(url, n.options())).toMatchObject({ ok: true, status: 200, body: "hello" });
  });

  it.each([["localhost"], ["LocalHost"], ["api.localhost"], ["printer.local"], ["metadata.google.internal"], ["nas.home.arpa"], ["intranet"], ["localhost."]])(
    "refuses the local name %s",
    async (name) => {
      const n = net();
      const r = await safeFetch(`https://${name}/feed.xml`, n.options());
      const host = new URL(`https://${name}/`).hostname;
      expect(r).toMatchObject({ ok: false, reason: "local_name", message: `${host} is a local network name; Herald only fetches public https addresses.` });
      expect(n.calls).toHaveLength(0);
    },
  );

  it("refuses plain http", async () => {
    const n = net({ "http://shop.example.com": ok });
    const r = await safeFetch("http://shop.example.com/herald-sw.js", n.options());
    expect(r).toMatchObject({
      ok: false,
      reason: "not_https",
      message: "http://shop.example.com/herald-sw.js is not https; Herald only fetches public https addresses.",
    });
    expect(n.calls).toHaveLength(0);
  });

  it.each([["ftp://shop.example.com/feed"], ["file:///etc/passwd"], ["data:text/plain,hi"]])("refuses the non-web scheme %s", async (url) => {
    expect(await safeFetch(url, net().options())).toMatchObject({ ok: false, reason: "not_https" });
  });

  it.each([["https://user:secret@shop.example.com/"], ["https://user@shop.example.com/"]])("refuses credentials in %s", async (url) => {
    const n = net({ "https://shop.example.com": ok });
    const r = await safeFetch(url, n.options());
    expect(r).toMatchObject({ ok: false, reason: "credentials" });
    expect(r.ok || r.message).toContain("contains a user name or password");
    expect(n.calls).toHaveLength(0);
  });

  it("refuses what is not a URL", async () => {
    expect(await safeFetch("shop.example.com", net().options())).toMatchObject({
      ok: false,
      reason: "invalid_url",
      message: "shop.example.com is not a valid web address.",
    });
  });
});

describe("safeFetch checks host names over DNS-over-HTTPS", () => {
  it("refuses a host name whose DoH answer includes a private address", async () => {
    const n = net({ "https://shop.example.com": ok }, { "shop.example.com": ["93.184.215.14", "10.0.0.5"] });
    const r = await safeFetch("https://shop.example.com/", n.options());
    expect(r).toMatchObject({ ok: false, reason: "resolves_private", message: `shop.example.com resolves to 10.0.0.5, which ${PRIVATE}` });
    expect(n.siteCalls()).toEqual([]);
  });

  it("refuses a host name with a private AAAA answer", async () => {
    const n = net({ "https://shop.example.com": ok }, { "shop.example.com": ["93.184.215.14", "::1"] });
    expect(await safeFetch("https://shop.example.com/", n.options())).toMatchObject({ ok: false, reason: "resolves_private" });
  });

  it.each([["throw" as const], ["http_500" as const], ["servfail" as const]])("fails closed with 'DNS lookup failed' when DoH does (%s)", async (answer) => {
    const n = net({ "https://shop.example.com": ok }, { "shop.example.com": answer });
    const r = await safeFetch("https://shop.example.com/", n.options());
    expect(r).toMatchObject({ ok: false, reason: "dns_failed", message: "DNS lookup for shop.example.com failed." });
    expect(n.siteCalls()).toEqual([]);
  });

  it("says a name that does not exist does not exist", async () => {
    const n = net({}, { "gone.example.com": "nxdomain" });
    expect(await safeFetch("https://gone.example.com/", n.options())).toMatchObject({
      ok: false,
      reason: "dns_not_found",
      message: "gone.example.com does not exist: DNS has no address for it.",
    });
  });

  it("asks DoH for A and AAAA with the injected fetcher, then fetches a public host", async () => {
    const n = net({ "https://shop.example.com": ok }, { "shop.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"] });
    const r = await safeFetch("https://shop.example.com/x", n.options());
    expect(r).toMatchObject({ ok: true, status: 200, body: "hello", finalUrl: "https://shop.example.com/x", redirects: 0 });
    expect(n.calls.map((c) => c.url)).toEqual([
      `${DOH}?name=shop.example.com&type=A`,
      `${DOH}?name=shop.example.com&type=AAAA`,
      "https://shop.example.com/x",
    ]);
    expect(n.calls[0]!.headers.get("accept")).toBe("application/dns-json");
  });

  it("caches answers per host for min(TTL, 5 minutes)", async () => {
    let now = 1_000_000;
    const dnsCache: DnsCache = new Map();
    const short = net({ "https://shop.example.com": ok }, {}, 60);
    const opts = short.options({ dnsCache, now: () => now });
    await safeFetch("https://shop.example.com/", opts);
    await safeFetch("https://shop.example.com/", opts);
    expect(short.dohCalls()).toBe(2); // A + AAAA once
    now += 61_000;
    await safeFetch("https://shop.example.com/", opts);
    expect(short.dohCalls()).toBe(4); // the 60 s TTL ran out

    const long = net({ "https://shop.example.com": ok }, {}, 86_400);
    const longOpts = long.options({ dnsCache: new Map(), now: () => now });
    await safeFetch("https://shop.example.com/", longOpts);
    now += 299_000;
    await safeFetch("https://shop.example.com/", longOpts);
    expect(long.dohCalls()).toBe(2);
    now += 2_000;
    await safeFetch("https://shop.example.com/", longOpts);
    expect(long.dohCalls()).toBe(4); // capped at 5 minutes, not a day
  });

  it("does not cache a failed lookup", async () => {
    const dnsCache: DnsCache = new Map();
    await safeFetch("https://shop.example.com/", net({}, { "shop.example.com": "throw" }).options({ dnsCache }));
    expect(dnsCache.size).toBe(0);
  });

  it("skips the DNS check when OUTBOUND_DOH_URL is empty", async () => {
    const n = net({ "https://shop.example.com": ok });
    expect(await safeFetch("https://shop.example.com/", n.options({ dohUrl: "" }))).toMatchObject({ ok: true });
    expect(n.dohCalls()).toBe(0);
  });
});

describe("safeFetch follows redirects by hand and re-checks each hop", () => {
  const redirect = (location: string, status = 302): Handler => () => new Response(null, { status, headers: { location } });

  it("resolves a relative Location and reports the final URL", async () => {
    const n = net({ "https://shop.example.com/a": redirect("/b"), "https://shop.example.com/b": ok });
    expect(await safeFetch("https://shop.example.com/a", n.options())).toMatchObject({
      ok: true,
      finalUrl: "https://shop.example.com/b",
      redirects: 1,
      body: "hello",
    });
    expect(n.siteCalls()).toEqual(["https://shop.example.com/a", "https://shop.example.com/b"]);
  });

  it("passes redirect: manual to the fetcher", async () => {
    const n = net({ "https://shop.example.com": ok });
    await safeFetch("https://shop.example.com/", n.options());
    expect(n.calls.at(-1)!.redirect).toBe("manual");
  });

  it("refuses a redirect to a private address and says it was redirected", async () => {
    const n = net({ "https://shop.example.com": redirect("http://169.254.169.254/latest/meta-data/") });
    const r = await safeFetch("https://shop.example.com/", n.options());
    expect(r).toMatchObject({
      ok: false,
      reason: "private_address",
      message: `Redirected to http://169.254.169.254/latest/meta-data/, whose address 169.254.169.254 ${PRIVATE}`,
      url: "http://169.254.169.254/latest/meta-data/",
    });
    expect(n.siteCalls()).toEqual(["https://shop.example.com/"]);
  });

  it("refuses a redirect to plain http", async () => {
    const n = net({ "https://shop.example.com": redirect("http://shop.example.com/", 301) });
    expect(await safeFetch("https://shop.example.com/", n.options())).toMatchObject({
      ok: false,
      reason: "not_https",
      message: "Redirected to http://shop.example.com/ which is not https.",
    });
  });

  it("refuses a redirect to a host name that resolves to a private address", async () => {
    const n = net({ "https://shop.example.com": redirect("https://rebind.example.net/") }, { "rebind.example.net": ["127.0.0.1"] });
    const r = await safeFetch("https://shop.example.com/", n.options());
    expect(r).toMatchObject({ ok: false, reason: "resolves_private" });
    expect(r.ok || r.message).toBe(`Redirected to https://rebind.example.net/, whose host rebind.example.net resolves to 127.0.0.1, which ${PRIVATE}`);
    expect(n.siteCalls()).toEqual(["https://shop.example.com/"]);
  });

  it("follows 5 redirects and refuses the 6th", async () => {
    const chain = (length: number) =>
      net(Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`https://shop.example.com/r${i}`, i < length ? redirect(`/r${i + 1}`) : ok])));
    expect(await safeFetch("https://shop.example.com/r0", chain(5).options())).toMatchObject({ ok: true, redirects: 5, finalUrl: "https://shop.example.com/r5" });
    const n = chain(6);
    expect(await safeFetch("https://shop.example.com/r0", n.options())).toMatchObject({
      ok: false,
      reason: "too_many_redirects",
      message: "Too many redirects (more than 5).",
    });
    expect(n.siteCalls()).toHaveLength(6);
  });

  it("refuses a Location that is not a URL", async () => {
    const n = net({ "https://shop.example.com": redirect("https://[oops/") });
    expect(await safeFetch("https://shop.example.com/", n.options())).toMatchObject({
      ok: false,
      reason: "invalid_url",
      message: "Redirected to https://[oops/, which is not a valid web address.",
    });
  });

  it("turns a POST into a GET on 303 and keeps it on 307; credentials stay with their origin", async () => {
    const seen: { method: string; body: string; auth: string | null }[] = [];
    const record: Handler = async (req) => (seen.push({ method: req.method, body: await req.text(), auth: req.headers.get("authorization") }), new Response("done"));
    const n = net({
      "https://hooks.example.com/see-other": redirect("/landed", 303),
      "https://hooks.example.com/temporary": redirect("https://other.example.org/landed", 307),
      "https://hooks.example.com/landed": record,
      "https://other.example.org/landed": record,
    });
    const post = { method: "POST", body: '{"event":"sent"}', headers: { authorization: "Bearer s3cret", "content-type": "application/json" } };
    await safeFetch("https://hooks.example.com/see-other", n.options(post));
    await safeFetch("https://hooks.example.com/temporary", n.options(post));
    expect(seen).toEqual([
      { method: "GET", body: "", auth: "Bearer s3cret" },
      { method: "POST", body: '{"event":"sent"}', auth: null },
    ]);
  });
});

describe("safeFetch limits time and size", () => {
  it("gives up on a server that never answers", async () => {
    const n = net({ "https://slow.example.com": () => new Promise<Response>(() => {}) });
    const started = Date.now();
    const r = await safeFetch("https://slow.example.com/", n.options({ timeoutMs: 50 }));
    expect(r).toMatchObject({ ok: false, reason: "timeout", message: "slow.example.com did not answer within 50 ms." });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("counts the body against the same deadline", async () => {
    const stalls = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode("partial")) });
    const n = net({ "https://slow.example.com": () => new Response(stalls) });
    expect(await safeFetch("https://slow.example.com/", n.options({ timeoutMs: 50 }))).toMatchObject({ ok: false, reason: "timeout" });
  });

  it("says the timeout in seconds", async () => {
    const n = net({ "https://slow.example.com": () => new Promise<Response>(() => {}) });
    expect(await safeFetch("https://slow.example.com/", n.options({ timeoutMs: 1000 }))).toMatchObject({
      message: "slow.example.com did not answer within 1 second.",
    });
  });

  it("stops reading a streamed body once it passes the cap", async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (c) => (pulled++, c.enqueue(new Uint8Array(64 * 1024))),
      cancel: () => void (cancelled = true),
    });
    const n = net({ "https://big.example.com": () => new Response(endless) });
    const r = await safeFetch("https://big.example.com/feed.xml", n.options());
    expect(r).toMatchObject({ ok: false, reason: "too_large", message: "The response was larger than 256 KB." });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it("refuses a declared Content-Length over the cap without reading", async () => {
    const n = net({ "https://big.example.com": () => new Response("x", { headers: { "content-length": String(300 * 1024) } }) });
    expect(await safeFetch("https://big.example.com/", n.options())).toMatchObject({ ok: false, reason: "too_large" });
  });

  it("accepts a body of exactly the cap", async () => {
    const n = net({ "https://big.example.com": () => new Response(new Uint8Array(1024).fill(65)) });
    const r = await safeFetch("https://big.example.com/", n.options({ maxBytes: 1024 }));
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && r.bytes.byteLength).toBe(1024);
  });
});

describe("safeFetch answers", () => {
  it("returns any status as an answer, with headers and text", async () => {
    const n = net({ "https://shop.example.com": () => new Response("nope", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } }) });
    const r = await safeFetch("https://shop.example.com/herald-sw.js", n.options());
    expect(r).toMatchObject({ ok: true, status: 404, body: "nope" });
    expect(r.ok && r.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  it.each([
    [530, "error code: 1016", "dns_failed", "DNS lookup for shop.example.com failed."],
    [403, "error code: 1000", "prohibited_address", "Cloudflare refused to fetch shop.example.com because its DNS points to a prohibited address."],
    [403, "error code: 1003", "ip_access_refused", "shop.example.com does not accept requests addressed to its IP address; use its host name."],
    [530, "error code: 1033", "cloudflare_refused", "Cloudflare refused to fetch shop.example.com (error 1033)."],
    [522, "", "connect_failed", "Could not connect to shop.example.com (connection refused or unreachable)."],
    [526, "", "tls_failed", "Could not make a secure (TLS) connection to shop.example.com; check its certificate."],
  ])("maps Cloudflare's %i %j page to a plain reason", async (status, body, reason, message) => {
    const n = net({ "https://shop.example.com": () => new Response(body, { status }) });
    expect(await safeFetch("https://shop.example.com/", n.options())).toMatchObject({ ok: false, reason, message });
  });

  it("never shows workerd's opaque internal error; after a good DNS answer it is a TLS failure", async () => {
    const internal = () => Promise.reject(new Error("internal error; reference = 7h27bcjr7cmp10rs4fg0ttv8"));
    const resolved = await safeFetch("https://shop.example.com/", net({ "https://shop.example.com": internal }).options());
    expect(resolved).toMatchObject({ ok: false, reason: "tls_failed" });
    const unresolved = await safeFetch("https://shop.example.com/", net({ "https://shop.example.com": internal }).options({ dohUrl: "" }));
    expect(unresolved).toMatchObject({
      ok: false,
      reason: "unreachable",
      message: "Could not reach shop.example.com: its name did not resolve or its secure (TLS) connection failed.",
      cause: "Error: internal error; reference = 7h27bcjr7cmp10rs4fg0ttv8",
    });
    expect(unresolved.ok || unresolved.message).not.toContain("internal error");
  });
});

describe("safeFetch allow-list (OUTBOUND_ALLOW_ORIGINS)", () => {
  it("lets an allow-listed origin be fetched over http at a private address, and only that origin", async () => {
    const n = net({ "http://127.0.0.1:8788": ok, "http://127.0.0.1:8789": ok });
    const allowOrigins = ["http://127.0.0.1:8788"];
    expect(await safeFetch("http://127.0.0.1:8788/herald-sw.js", n.options({ allowOrigins }))).toMatchObject({ ok: true, body: "hello" });
    expect(await safeFetch("http://127.0.0.1:8789/herald-sw.js", n.options({ allowOrigins }))).toMatchObject({ ok: false, reason: "private_address" });
    expect(await safeFetch("https://127.0.0.1:8788/herald-sw.js", n.options({ allowOrigins }))).toMatchObject({ ok: false, reason: "private_address" });
  });

  it("reads the allow-list and the DoH endpoint from the Worker's vars", () => {
    expect(outboundPolicy({ OUTBOUND_ALLOW_ORIGINS: " http://127.0.0.1:8788 ,https://stand-in.test/path,, not a url", OUTBOUND_DOH_URL: "" })).toEqual({
      allowOrigins: ["http://127.0.0.1:8788", "https://stand-in.test"],
      dohUrl: "",
    });
    expect(outboundPolicy({}).dohUrl).toBe("https://cloudflare-dns.com/dns-query");
  });
});

describe("safeFetch through workerd's real fetch", () => {
  it("maps a closed port ('Network connection lost.') to a connection failure", async () => {
    const r = await safeFetch("http://127.0.0.1:9/", { fetcher: fetch, allowOrigins: ["http://127.0.0.1:9"], timeoutMs: 5_000 });
    expect(r).toMatchObject({ ok: false, reason: "connect_failed", message: "Could not connect to 127.0.0.1 (connection refused or unreachable)." });
  });

  it("maps an unresolvable host ('internal error; reference = …') without showing it", async () => {
    const r = await safeFetch("https://no-such-host.invalid/", { fetcher: fetch, allowOrigins: ["https://no-such-host.invalid"], timeoutMs: 5_000 });
    expect(r).toMatchObject({ ok: false, reason: "unreachable" });
    expect(r.ok || r.message).not.toMatch(/internal error|reference/);
  });
});
