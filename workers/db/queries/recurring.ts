// SQL of recurring series and their runs (services/recurring). Every query is scoped by site,
// except the scheduler's due list (recurring_series_due_idx), which returns each series' site.
import { and, asc, desc, eq, lt, lte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { notifications, recurringRuns, recurringSeries, sites } from "../schema";

export type SeriesRow = typeof recurringSeries.$inferSelect;
type NotificationInsert = typeof notifications.$inferInsert;

export const insertSeries = async (db: Db, row: typeof recurringSeries.$inferInsert) => (await db.insert(recurringSeries).values(row).returning().get())!;

export const findSeries = (db: Db, siteId: string, id: string) =>
  db.select().from(recurringSeries).where(and(eq(recurringSeries.siteId, siteId), eq(recurringSeries.id, id))).get();

/** Newest first, after the cursor (a series id). */
export const listSeries = (db: Db, siteId: string, before: string | undefined, limit: number) =>
  db
    .select()
    .from(recurringSeries)
    .where(and(eq(recurringSeries.siteId, siteId), before ? lt(recurringSeries.id, before) : undefined))
    .orderBy(desc(recurringSeries.id))
    .limit(limit)
    .all();

export const updateSeries = async (db: Db, siteId: string, id: string, patch: Partial<typeof recurringSeries.$inferInsert>) =>
  db.update(recurringSeries).set(patch).where(and(eq(recurringSeries.siteId, siteId), eq(recurringSeries.id, id))).returning().get();

export const deleteSeries = (db: Db, siteId: string, id: string) =>
  db.delete(recurringSeries).where(and(eq(recurringSeries.siteId, siteId), eq(recurringSeries.id, id))).returning({ id: recurringSeries.id }).get();

/** Active series whose next run is due, with their site's timezone. */
export const dueSeries = (db: Db, now: number, limit: number) =>
  db
    .select({ series: recurringSeries, timezone: sql<string>`json_extract(${sites.settings}, '$.timezone')` })
    .from(recurringSeries)
    .innerJoin(sites, eq(sites.id, recurringSeries.siteId))
    .where(and(eq(recurringSeries.status, "active"), lte(recurringSeries.nextRunAt, now)))
    .orderBy(asc(recurringSeries.nextRunAt))
    .limit(limit)
    .all();

/**
 * Records the run of `date` and inserts its notification in one transaction, moving the series
 * on. The run's primary key (series, date) makes a second attempt at the same run — a cron fired
 * twice, two overlapping — fail as a whole: false, nothing written.
 */
export async function createRun(
  db: Db,
  s: { siteId: string; id: string },
  run: { date: string; at: number },
  notification: NotificationInsert,
  next: Partial<typeof recurringSeries.$inferInsert>,
  now: number,
): Promise<boolean> {
  try {
    await db.batch([
      db.insert(recurringRuns).values({ seriesId: s.id, runDate: run.date, siteId: s.siteId, notificationId: notification.id, dueAt: run.at, createdAt: now }),
      db.insert(notifications).values(notification),
      db
        .update(recurringSeries)
        .set({ ...next, lastRunAt: run.at, lastError: null, runsCount: sql`${recurringSeries.runsCount} + 1`, updatedAt: now })
        .where(and(eq(recurringSeries.siteId, s.siteId), eq(recurringSeries.id, s.id))),
    ]);
    return true;
  } catch (e) {
    if (String((e as Error).message).includes("UNIQUE constraint failed: recurring_runs")) return false;
    throw e;
  }
}

/** Moves a series on without a run (missed runs skipped, a run that could not be created). */
export const advanceSeries = (db: Db, siteId: string, id: string, expectedNextRunAt: number, next: Partial<typeof recurringSeries.$inferInsert>) =>
  db
    .update(recurringSeries)
    .set(next)
    .where(and(eq(recurringSeries.siteId, siteId), eq(recurringSeries.id, id), eq(recurringSeries.nextRunAt, expectedNextRunAt)));

/** A series' runs, newest first, with their notification's status. */
export const listRuns = (db: Db, siteId: string, seriesId: string, limit: number) =>
  db
    .select({ date: recurringRuns.runDate, dueAt: recurringRuns.dueAt, notificationId: recurringRuns.notificationId, status: notifications.status })
    .from(recurringRuns)
    .leftJoin(notifications, eq(notifications.id, recurringRuns.notificationId))
    .where(and(eq(recurringRuns.siteId, siteId), eq(recurringRuns.seriesId, seriesId)))
    .orderBy(desc(recurringRuns.runDate))
    .limit(limit)
    .all();
