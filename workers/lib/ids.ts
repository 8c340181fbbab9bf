// Ids are a short type prefix plus a time-ordered random part: 10 chars of
// millisecond time + 16 random chars, both Crockford base32. Time order lets the
// sender page subscribers by id ranges and keeps D1 b-tree inserts append-mostly.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix = "usr" | "rtf" | "rt" | "site" | "key" | "sub" | "ntf" | "evt" | "dlq" | "inv" | "eu" | "dev" | "tpl" | "int" | "whk" | "whd" | "whe";

export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `${prefix}_${time}${randomChars(16)}`;
}

export function randomChars(n: number, alphabet = ALPHABET): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
