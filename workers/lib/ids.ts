// Ids are a short type prefix plus a time-ordered random part: 10 chars of
// millisecond time + 16 random chars, both Crockford base32. Time order lets the
// sender page subscribers by id ranges and keeps D1 b-tree inserts append-mostly.
// Within one millisecond an isolate's ids still come out in order (the random part of the
// previous id plus one, as ULID's monotonic mode does), so lists paged by id — the webhook
// log, a user's devices — show things in the order they happened.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix = "usr" | "rtf" | "rt" | "site" | "key" | "sub" | "ntf" | "evt" | "dlq" | "inv" | "eu" | "dev" | "tpl" | "int" | "whk" | "whd" | "whe" | "rec" | "drp" | "seg" | "trg" | "trc" | "fd";

let last: { time: number; random: number[] } | null = null;

export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let random: number[];
  if (last?.time === now) {
    random = [...last.random];
    let i = random.length - 1;
    while (i >= 0 && random[i] === 31) random[i--] = 0; // carry (2^80 ids in one ms never happen)
    if (i >= 0) random[i]!++;
  } else {
    random = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b % 32);
  }
  last = { time: now, random };
  return `${prefix}_${time}${random.map((d) => ALPHABET[d]).join("")}`;
}

export function randomChars(n: number, alphabet = ALPHABET): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
