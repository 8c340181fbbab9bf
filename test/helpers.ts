// Test helpers: talk to the Worker over HTTP exactly as a client would.
import { exports } from "cloudflare:workers";

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

let ipCounter = 0;
/** A distinct client IP per helper call sequence, so rate limits of one test do not leak into another. */
export const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: BodyInit;
}

/** The Request a client would send: JSON body, bearer token, a client IP (`ip` unless the headers name one). */
export function apiRequest(method: string, path: string, opts: CallOptions, ip: string): Request {
  const headers: Record<string, string> = { "CF-Connecting-IP": ip, ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined = opts.raw;
  if (opts.body !== undefined) {
    headers["Content-Type"] ??= "application/json";
    body = JSON.stringify(opts.body);
  }
  return new Request(`http://herald.test${path}`, { method, headers, body });
}

/** Status, headers and the body parsed as JSON (or the text when it is not JSON). */
export async function readResult<T = any>(res: Response): Promise<CallResult<T>> {
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
  return readResult<T>(await exports.default.fetch(apiRequest(method, path, opts, "10.255.0.1")));
}

export const uniqueEmail = (label = "user") => `${label}.${crypto.randomUUID().slice(0, 8)}@example.com`;

export async function registerUser(label = "user") {
  const email = uniqueEmail(label);
  const password = "correct horse battery";
  const res = await call("POST", "/api/auth/register", {
    body: { email, password, name: label },
    headers: { "CF-Connecting-IP": freshIp() },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { email, password, token: res.body.access_token as string, refresh: res.body.refresh_token as string, user: res.body.user };
}

export async function createSite(token: string, name = "Acme") {
  const res = await call("POST", "/api/sites", { token, body: { name, url: "https://acme.example.com" } });
  if (res.status !== 201) throw new Error(`create site failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; site_key: string; vapid_public_key: string; identity_secret: string };
}

/** A user with a site: the usual starting point of a tenant test. */
export async function tenant(label = "owner") {
  const owner = await registerUser(label);
  const site = await createSite(owner.token, `${label}'s site`);
  return { owner, site };
}
