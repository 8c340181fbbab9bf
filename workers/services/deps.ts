// The explicit dependencies every service takes: routes, queue consumers, cron and
// tests all build the same object, so services never see a Hono Context.
import { createDb, type Db } from "../db/client";

export interface Deps {
  db: Db;
  env: Env;
  now: () => number;
}

export function makeDeps(env: Env, now: () => number = Date.now): Deps {
  return { db: createDb(env.DB), env, now };
}
