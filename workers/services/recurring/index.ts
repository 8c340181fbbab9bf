// Recurring notifications (issue #10 §3): a series is a campaign and a calendar rule
// (contracts/recurring.ts; when it runs: schedule.ts). Each run creates one scheduled campaign —
// an instance with its own stats, linked to the series by recurring_runs — that the scheduled-
// sends job starts like any other, so preferences, quiet hours, caps and local delivery apply.
//
// The scheduler (cron/recurring.ts, every minute) takes each active series whose next run is due:
//   - the run is on time (due less than RECURRING_ON_TIME_MS ago)      → create it
//   - runs were missed (the cron did not run: downtime)                 → catch_up: create only
//                                                                          the latest missed run;
//                                                                          otherwise skip them all
//   - then next_run moves to the first run after now (none: "ended")
// A run is created in one transaction with its notification and the series' move (db/queries/
// recurring.ts createRun): a cron fired twice or overlapping creates each run once, and a crash
// leaves either all of it or none (the next cron run tries again). A run that cannot be created
// (a channel lost its provider, the category was deleted) is skipped with last_error set.
import { RECURRING_BATCH, RECURRING_NEXT_RUNS_SHOWN, RECURRING_ON_TIME_MS } from "../../config";
import type { Recurrence, SeriesStatus, SeriesView } from "../../contracts/recurring";
import * as q from "../../db/queries/recurring";
import { findSite } from "../../db/queries/sites";
import { ApiError, invalidField } from "../../errors";
import { newId } from "../../lib/ids";
import type { Deps } from "../deps";
import { campaignValues, getNotification, type NotificationInput } from "../notifications";
import { nextRun, nextRuns } from "./schedule";

/** The campaign a series sends: a notification's create request without its schedule. */
export type SeriesNotification = Omit<NotificationInput, "scheduled_at" | "local_delivery">;
export interface SeriesInput {
  name: string;
  recurrence: Recurrence;
  catch_up?: boolean;
  notification: SeriesNotification;
}
export type SeriesPatch = Partial<SeriesInput>;

type NotificationAsGiven = Omit<SeriesNotification, "category"> & { category?: string };

function view(s: q.SeriesRow, siteTz: string, now: number): SeriesView<NotificationAsGiven> {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    recurrence: s.recurrence,
    catch_up: s.catchUp,
    // As it was given (a create request: category is a key or absent, never null).
    notification: s.notification as unknown as NotificationAsGiven,
    next_run_at: s.status === "active" ? s.nextRunAt : null,
    next_runs: s.status === "active" ? nextRuns(s.recurrence, siteTz, now - 1, RECURRING_NEXT_RUNS_SHOWN) : [],
    last_run_at: s.lastRunAt,
    last_error: s.lastError,
    runs_count: s.runsCount,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

async function siteTimezone(deps: Deps, siteId: string) {
  const site = await findSite(deps.db, siteId);
  if (!site) throw new ApiError("not_found", "Site not found.");
  return site.settings.timezone;
}

/** Checks the campaign as creating it would, reporting its fields under `notification.`. */
async function checkNotification(deps: Deps, siteId: string, n: SeriesNotification) {
  try {
    await campaignValues(deps, siteId, null, n);
  } catch (e) {
    if (e instanceof ApiError && e.fields?.length) throw new ApiError(e.code, e.message, e.fields.map((f) => ({ ...f, path: `notification.${f.path}` })));
    throw e;
  }
}

/** The first run after `now`, or a 400 naming the rule's field when there is none. */
function firstRun(r: Recurrence, tz: string, now: number) {
  const run = nextRun(r, tz, now);
  if (!run) throw invalidField(r.end_date ? "recurrence.end_date" : "recurrence.start_date", "The rule has no run after now: move the dates.");
  return run;
}

export async function createSeries(deps: Deps, siteId: string, createdBy: string | null, input: SeriesInput): Promise<SeriesView<NotificationAsGiven>> {
  const tz = await siteTimezone(deps, siteId);
  await checkNotification(deps, siteId, input.notification);
  const now = deps.now();
  const run = firstRun(input.recurrence, tz, now);
  const row = await q.insertSeries(deps.db, {
    id: newId("rec", now),
    siteId,
    name: input.name,
    status: "active",
    recurrence: input.recurrence,
    catchUp: input.catch_up ?? true,
    notification: input.notification as unknown as Record<string, unknown>,
    nextRunDate: run.date,
    nextRunAt: run.at,
    createdBy,
    createdAt: now,
    updatedAt: now,
  });
  return view(row, tz, now);
}

async function load(deps: Deps, siteId: string, id: string) {
  const row = await q.findSeries(deps.db, siteId, id);
  if (!row) throw new ApiError("not_found", "Recurring notification not found.");
  return row;
}

export async function getSeries(deps: Deps, siteId: string, id: string) {
  const [row, tz] = await Promise.all([load(deps, siteId, id), siteTimezone(deps, siteId)]);
  return view(row, tz, deps.now());
}

export async function listSeries(deps: Deps, siteId: string, cursor: string | undefined, limit: number) {
  const [rows, tz] = await Promise.all([q.listSeries(deps.db, siteId, cursor, limit + 1), siteTimezone(deps, siteId)]);
  const page = rows.slice(0, limit);
  return { data: page.map((r) => view(r, tz, deps.now())), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** Changes a series; a new rule (or a resume) plans from now: runs already made stay as they are. */
export async function updateSeries(deps: Deps, siteId: string, id: string, patch: SeriesPatch) {
  const [row, tz] = await Promise.all([load(deps, siteId, id), siteTimezone(deps, siteId)]);
  if (patch.notification) await checkNotification(deps, siteId, patch.notification);
  const now = deps.now();
  const recurrence = patch.recurrence ?? row.recurrence;
  const next = patch.recurrence && row.status !== "paused" ? firstRun(recurrence, tz, now) : null;
  const updated = await q.updateSeries(deps.db, siteId, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.catch_up !== undefined ? { catchUp: patch.catch_up } : {}),
    ...(patch.notification ? { notification: patch.notification as unknown as Record<string, unknown> } : {}),
    ...(patch.recurrence ? { recurrence, ...(next ? { status: "active" as const, nextRunDate: next.date, nextRunAt: next.at } : {}) } : {}),
    updatedAt: now,
  });
  if (!updated) throw new ApiError("not_found", "Recurring notification not found.");
  return view(updated, tz, now);
}

export async function setPaused(deps: Deps, siteId: string, id: string, paused: boolean) {
  const [row, tz] = await Promise.all([load(deps, siteId, id), siteTimezone(deps, siteId)]);
  const now = deps.now();
  if (row.status === "ended") throw new ApiError("invalid_state", "This series has ended: change its dates to run it again.");
  if (paused === (row.status === "paused")) return view(row, tz, now);
  // Resuming never sends what was missed while paused: the next run is the first after now.
  const next = paused ? null : firstRun(row.recurrence, tz, now);
  const updated = await q.updateSeries(deps.db, siteId, id, {
    status: paused ? "paused" : "active",
    ...(next ? { nextRunDate: next.date, nextRunAt: next.at } : {}),
    updatedAt: now,
  });
  return view(updated!, tz, now);
}

export async function deleteSeries(deps: Deps, siteId: string, id: string) {
  if (!(await q.deleteSeries(deps.db, siteId, id))) throw new ApiError("not_found", "Recurring notification not found.");
}

/** A series' runs, newest first, each with its notification's numbers. */
export async function listRuns(deps: Deps, siteId: string, id: string, limit: number) {
  await load(deps, siteId, id);
  const runs = await q.listRuns(deps.db, siteId, id, limit);
  return {
    data: await Promise.all(
      runs.map(async (r) => {
        const n = r.status ? await getNotification(deps, siteId, r.notificationId) : null;
        return { date: r.date, due_at: r.dueAt, notification_id: r.notificationId, status: r.status, stats: n?.stats ?? null };
      }),
    ),
  };
}

export interface SchedulerResult {
  created: Array<{ seriesId: string; date: string; notificationId: string }>;
  skipped: number;
  failed: Array<{ seriesId: string; error: string }>;
}

/** The cron's part: creates the due runs (see the header). */
export async function runDueSeries(deps: Deps): Promise<SchedulerResult> {
  const now = deps.now();
  const result: SchedulerResult = { created: [], skipped: 0, failed: [] };
  for (const { series: s, timezone } of await q.dueSeries(deps.db, now, RECURRING_BATCH)) {
    const tz = timezone || "UTC";
    const r = s.recurrence;
    // The latest run due by now: the scheduled one, or a later one when runs were missed.
    let latest = { date: s.nextRunDate!, at: s.nextRunAt! };
    let missed = 0;
    for (let n = nextRun(r, tz, latest.at); n && n.at <= now; n = nextRun(r, tz, n.at)) {
      latest = n;
      missed++;
    }
    const following = nextRun(r, tz, now);
    const next = following ? { nextRunDate: following.date, nextRunAt: following.at } : { status: "ended" as SeriesStatus, nextRunDate: null, nextRunAt: null };
    const onTime = now - latest.at <= RECURRING_ON_TIME_MS;
    if (!onTime && !s.catchUp) {
      await q.advanceSeries(deps.db, s.siteId, s.id, s.nextRunAt!, { ...next, updatedAt: now });
      result.skipped += missed + 1;
      continue;
    }
    result.skipped += missed;
    const input = s.notification as unknown as SeriesNotification;
    let values: Awaited<ReturnType<typeof campaignValues>>;
    try {
      values = await campaignValues(deps, s.siteId, s.createdBy, {
        ...input,
        ...(r.timezone === "subscriber" ? { local_delivery: { time: r.time, date: latest.date } } : {}),
      });
    } catch (e) {
      const error = e instanceof ApiError ? e.message : "The run could not be created.";
      await q.advanceSeries(deps.db, s.siteId, s.id, s.nextRunAt!, { ...next, lastError: error, updatedAt: now });
      result.failed.push({ seriesId: s.id, error });
      continue;
    }
    const notification = { ...values, status: "scheduled" as const, scheduledAt: latest.at };
    if (await q.createRun(deps.db, s, latest, notification, next, now)) result.created.push({ seriesId: s.id, date: latest.date, notificationId: values.id });
  }
  return result;
}
