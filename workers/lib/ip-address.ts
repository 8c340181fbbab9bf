// Which IP addresses are public unicast: the address half of the SSRF policy (lib/safe-fetch.ts
// applies it to URL literals and to every DNS answer). Pure; parses dotted-quad IPv4 and IPv6
// text (the WHATWG URL parser has already canonicalised literals by the time they get here).

// IPv4 blocks that are not public unicast (RFC 6890 and the IANA IPv4 special-purpose registry).
const V4_BLOCKED = [
  ["0.0.0.0", 8], // this network, unspecified
  ["10.0.0.0", 8], // RFC 1918
  ["100.64.0.0", 10], // CGNAT (RFC 6598)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12], // RFC 1918
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // TEST-NET-1
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16], // RFC 1918
  ["198.18.0.0", 15], // benchmarking (RFC 2544)
  ["198.51.100.0", 24], // TEST-NET-2
  ["203.0.113.0", 24], // TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
].map(([base, bits]) => [parseIPv4(base as string)!, bits as number] as const);

// IPv6: only global unicast 2000::/3 can be public, minus these (IANA IPv6 special-purpose).
const V6_BLOCKED_IN_GLOBAL = [
  ["2001::", 23], // IETF protocol assignments, Teredo (2001::/32)
  ["2001:db8::", 32], // documentation
  ["3fff::", 20], // documentation (RFC 9637)
].map(([base, bits]) => [parseIPv6(base as string)!, bits as number] as const);
const GLOBAL_UNICAST = parseIPv6("2000::")!;
const SIX_TO_FOUR = parseIPv6("2002::")!;
// The top 96 bits of ::/96 (compatible, also :: and ::1), ::ffff:0:0/96 (mapped),
// ::ffff:0:0:0/96 (translated) and 64:ff9b::/96 (NAT64).
const EMBEDS_V4_LOW32 = ["::", "::ffff:0:0", "::ffff:0:0:0", "64:ff9b::"].map((a) => parseIPv6(a)! >> 32n);

/** True when the address (IPv4 dotted-quad or IPv6 text) is public unicast. */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4 !== null) return !V4_BLOCKED.some(([base, bits]) => v4 >>> (32 - bits) === base >>> (32 - bits));
  const v6 = parseIPv6(address);
  if (v6 === null) return false;
  const inV6 = (base: bigint, bits: number) => v6 >> BigInt(128 - bits) === base >> BigInt(128 - bits);
  const low32 = v6 & 0xffffffffn;
  const embedded = (n: bigint) => isPublicAddress([24n, 16n, 8n, 0n].map((s) => (n >> s) & 0xffn).join("."));
  // IPv4 inside IPv6: the IPv4 address decides. 6to4 (2002::/16) carries it in bits 16–47.
  if (EMBEDS_V4_LOW32.includes(v6 >> 32n)) return embedded(low32);
  if (inV6(SIX_TO_FOUR, 16)) return embedded((v6 >> 80n) & 0xffffffffn);
  if (!inV6(GLOBAL_UNICAST, 3)) return false; // loopback, ULA fc00::/7, link-local fe80::/10, multicast ff00::/8, ...
  return !V6_BLOCKED_IN_GLOBAL.some(([base, bits]) => inV6(base, bits));
}

export function parseIPv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function parseIPv6(s: string): bigint | null {
  let text = s.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = parseIPv4(tail[1]!);
    if (v4 === null) return null;
    text = text.slice(0, -tail[1]!.length) + `${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const words = (h: string | undefined) => (h ? h.split(":") : []);
  const head = words(halves[0]);
  const rest = words(halves[1]);
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill("0"), ...rest];
  if (!all.every((w) => /^[0-9a-f]{1,4}$/.test(w))) return null;
  return all.reduce((acc, w) => (acc << 16n) | BigInt(parseInt(w, 16)), 0n);
}
