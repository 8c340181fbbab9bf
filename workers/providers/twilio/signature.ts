// Twilio's request signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
//
//   X-Twilio-Signature = base64( HMAC-SHA1( auth token,
//                          the full URL Twilio requested (scheme, host, path, query)
//                          + every POST parameter sorted by name (case-sensitive, byte
//                            order), each appended as name + value with no delimiters ) )
//
// Twilio always signs with the account's primary auth token, also for messages sent with an
// API key. Twilio's own helper libraries accept the URL with or without an explicit default
// port (Twilio has signed both ways), so verifyTwilioSignature does too. The comparison is
// crypto.subtle.verify's, which is constant-time.
import { fromBase64, toBase64 } from "../../lib/encoding";

const enc = new TextEncoder();

function signedText(url: string, params: Iterable<[string, string]>): string {
  const pairs = [...params].sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  let text = url;
  for (const [name, value] of pairs) text += name + value;
  return text;
}

const hmacKey = (authToken: string, usage: "sign" | "verify") =>
  crypto.subtle.importKey("raw", enc.encode(authToken), { name: "HMAC", hash: "SHA-1" }, false, [usage]);

/** The X-Twilio-Signature value for a POST to `url` with these form parameters. */
export async function twilioSignature(authToken: string, url: string, params: Iterable<[string, string]>): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(authToken, "sign"), enc.encode(signedText(url, params)));
  return toBase64(new Uint8Array(mac));
}

/** The URL as Twilio may have signed it: as given, and with the scheme's default port added or removed. */
function urlVariants(url: string): string[] {
  const u = new URL(url);
  const defaultPort = u.protocol === "https:" ? "443" : u.protocol === "http:" ? "80" : "";
  if (!defaultPort || (u.port && u.port !== defaultPort)) return [url];
  const withoutPort = `${u.protocol}//${u.hostname}${u.pathname}${u.search}`;
  const withPort = `${u.protocol}//${u.hostname}:${defaultPort}${u.pathname}${u.search}`;
  return [...new Set([url, withoutPort, withPort])];
}

/** Whether `signature` is Twilio's for this URL and these POST parameters under `authToken`. */
export async function verifyTwilioSignature(authToken: string, url: string, params: Iterable<[string, string]>, signature: string | null | undefined): Promise<boolean> {
  if (!signature || !/^[A-Za-z0-9+/]{27}=$/.test(signature)) return false; // 20 bytes of SHA-1, base64
  const mac = fromBase64(signature);
  const key = await hmacKey(authToken, "verify");
  const list = [...params];
  for (const candidate of urlVariants(url)) {
    if (await crypto.subtle.verify("HMAC", key, mac, enc.encode(signedText(candidate, list)))) return true;
  }
  return false;
}
