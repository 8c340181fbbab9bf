// The explicit dependencies every service takes: routes, queue consumers, cron and
// tests all build the same object, so services never see a Hono Context.
import { createDb, type Db } from "../db/client";

export interface Deps {
  db: Db;
  env: Env;
  now: () => number;
  /** Outbound HTTP; tenant URLs go through lib/safe-fetch.ts with this as its fetcher. */
  fetch: typeof fetch;
}

export function makeDeps(env: Env, now: () => number = Date.now): Deps {
  return { db: createDb(env.DB), env, now, fetch: globalThis.fetch.bind(globalThis) };
}
