// Depth and size of JSON, measured without recursion, so that a 30,000-level document is
// turned away before any recursive code (JSON.parse consumers, zod, JSON.stringify) sees it.

/** Deepest nesting of arrays and objects in a JSON text, read character by character (brackets
 *  inside strings do not count). Stops as soon as the depth passes `limit`. Malformed text is
 *  measured as far as it goes; JSON.parse rejects it later. */
export function jsonTextDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b /* [ */ || ch === 0x7b /* { */) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (ch === 0x5d /* ] */ || ch === 0x7d /* } */) {
      depth--;
    }
  }
  return max;
}

/** Levels of arrays and objects in a parsed value (a scalar is 0, {} is 1). Stops past `limit`. */
export function jsonValueDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, level] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (level > max && (max = level) > limit) return max;
    for (const child of Object.values(v)) stack.push([child, level + 1]);
  }
  return max;
}

/** UTF-8 size of a value as JSON text. */
export const jsonBytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value) ?? "").length;
