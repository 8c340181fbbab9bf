// The vars npm start passes to wrangler dev, merged with the developer's own. `--var K:V` wins
// over .dev.vars in wrangler dev, so a var npm start sets would silently hide the developer's
// value: instead npm start passes the merge of its value, .dev.vars and the environment.
//   - list vars (comma-separated; every name ending in _ORIGINS, e.g. EXTRA_PUSH_ORIGINS,
//     OUTBOUND_ALLOW_ORIGINS): npm start's entries, then .dev.vars', then the environment's,
//     each once;
//   - any other var (e.g. PUBLIC_URL): the environment, else .dev.vars, else npm start's default.
// Vars npm start does not set are left to wrangler, which reads .dev.vars itself.

/** Lists are comma-separated; the naming convention says which vars are lists. */
export const isListVar = (name: string): boolean => /_ORIGINS$/.test(name);

/**
 * Parses a .dev.vars file the way wrangler does (dotenv syntax) for the cases that occur here:
 * KEY=value, optional `export `, '#' comment lines and comments after unquoted values,
 * values in '…', "…" (with \n escapes) or `…`. Later lines win.
 */
export function parseDevVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const raw = m[2]!.trim();
    const quote = raw[0];
    let value: string;
    if ((quote === '"' || quote === "'" || quote === "`") && raw.indexOf(quote, 1) > 0) {
      value = raw.slice(1, raw.indexOf(quote, 1));
      if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    } else {
      value = raw.split("#")[0]!.trim(); // dotenv: an unquoted value ends at '#'
    }
    vars[m[1]!] = value;
  }
  return vars;
}

export function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface MergedVar {
  name: string;
  value: string;
  /** Where the value came from, for npm start's one-line report: "npm start + .dev.vars". */
  from: string[];
}

/**
 * Merges npm start's vars with the developer's. `sources` go from weakest to strongest, e.g.
 * [{ label: ".dev.vars", vars: parseDevVars(…) }, { label: "environment", vars: process.env }].
 */
export function mergeVars(
  ours: Record<string, string>,
  sources: { label: string; vars: Record<string, string | undefined> }[],
  isList: (name: string) => boolean = isListVar,
): MergedVar[] {
  return Object.entries(ours).map(([name, ourValue]) => {
    if (isList(name)) {
      const items = new Set(splitList(ourValue));
      const from = items.size ? ["npm start"] : [];
      for (const { label, vars } of sources) {
        const theirs = splitList(vars[name]);
        if (theirs.length) from.push(label);
        for (const item of theirs) items.add(item);
      }
      return { name, value: [...items].join(","), from };
    }
    for (const { label, vars } of [...sources].reverse()) {
      const theirs = vars[name];
      if (theirs !== undefined && theirs !== "") return { name, value: theirs, from: [label] };
    }
    return { name, value: ourValue, from: ["npm start"] };
  });
}
