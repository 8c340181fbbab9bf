// The signature of an inbound trigger call (issue #10 §6), Stripe-style:
//   X-Herald-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// Several v1= values may be given (a sender in the middle of a secret rotation); one matching
// is enough. Pure: the caller checks the timestamp against its clock and the replay window.
import { timingSafeEqual, toHex } from "./encoding";

const enc = new TextEncoder();

async function hmac(secret: string, data: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(data)));
}

/** The header value for `body` signed at `t` (unix seconds). */
export async function signTrigger(secret: string, t: number, body: string): Promise<string> {
  return `t=${t},v1=${toHex(await hmac(secret, `${t}.${body}`))}`;
}

export interface ParsedSignature {
  t: number;
  v1: string[];
}

/** The header's timestamp and v1 values, or null when it is not of that form. */
export function parseSignature(header: string | null | undefined): ParsedSignature | null {
  if (!header) return null;
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const [k, v] = part.trim().split("=", 2);
    if (k === "t" && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === "v1" && v && /^[0-9a-f]{64}$/i.test(v)) v1.push(v.toLowerCase());
  }
  return t === null || !v1.length ? null : { t, v1 };
}

const fromHex = (hex: string) => new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));

/** The v1 value that matches `body` at the header's timestamp, or null (constant-time compare). */
export async function matchingSignature(secret: string, sig: ParsedSignature, body: string): Promise<string | null> {
  const expected = await hmac(secret, `${sig.t}.${body}`);
  let found: string | null = null;
  for (const v of sig.v1) if (timingSafeEqual(fromHex(v), expected)) found = v;
  return found;
}
