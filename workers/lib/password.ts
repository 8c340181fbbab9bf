// Password hashing: PBKDF2-SHA256 via WebCrypto. Parameters are stored with the
// hash ("pbkdf2-sha256$<iterations>$<salt>$<hash>") so they can be raised later
// without breaking old hashes. Production Workers cap PBKDF2 at 100,000 iterations.
import { PASSWORD_SALT_BYTES, PBKDF2_ITERATIONS, PBKDF2_MAX_ITERATIONS } from "../config";
import { fromBase64, timingSafeEqual, toBase64 } from "./encoding";

const HASH_BITS = 256;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  if (iterations > PBKDF2_MAX_ITERATIONS) throw new Error(`PBKDF2 iterations ${iterations} exceed the Workers cap`);
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(PASSWORD_SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

export function passwordIterations(stored: string): number {
  return Number(stored.split("$")[1]);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterText, saltText, hashText] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterText || !saltText || !hashText) return false;
  const actual = await derive(password, fromBase64(saltText), Number(iterText));
  return timingSafeEqual(actual, fromBase64(hashText));
}

/** A fixed hash to verify against when the email is unknown, so timing does not reveal accounts. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("herald-timing-equaliser");
  return dummyHash;
}
