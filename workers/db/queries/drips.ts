// SQL of welcome drips (services/drips). Scoped by site, except the scheduler's claim, which
// works across sites through drip_enrollments_due_idx and returns each row's site.
import { and, desc, eq, sql } from "drizzle-orm";
import type { DripStep } from "../../contracts/drips";
import type { Db } from "../client";
import { dripEnrollments, dripSends, drips, notifications } from "../schema";

export type DripRow = typeof drips.$inferSelect;
type NotificationInsert = typeof notifications.$inferInsert;

export const insertDrip = async (db: Db, row: DripRow) => (await db.insert(drips).values(row).returning().get())!;

export const findDrip = (db: Db, siteId: string, id: string) => db.select().from(drips).where(and(eq(drips.siteId, siteId), eq(drips.id, id))).get();

export const listDrips = (db: Db, siteId: string) => db.select().from(drips).where(eq(drips.siteId, siteId)).orderBy(desc(drips.id)).all();

export const deleteDrip = (db: Db, siteId: string, id: string) =>
  db.delete(drips).where(and(eq(drips.siteId, siteId), eq(drips.id, id))).returning({ id: drips.id }).get();

export const renameDrip = (db: Db, siteId: string, id: string, name: string, now: number) =>
  db.update(drips).set({ name, updatedAt: now }).where(and(eq(drips.siteId, siteId), eq(drips.id, id)));

export const setDripStatus = (db: Db, siteId: string, id: string, status: DripRow["status"], now: number) =>
  db.update(drips).set({ status, updatedAt: now }).where(and(eq(drips.siteId, siteId), eq(drips.id, id))).returning().get();

/**
 * New steps for a drip, and what they mean for subscribers in it, in one transaction: each
 * active subscriber's next step keeps its place by step id (a step they got is not sent again;
 * one removed is skipped) and is due at entered_at + its delay; those past the last step complete.
 */
export async function replaceSteps(db: Db, siteId: string, id: string, steps: DripStep[], oldSteps: DripStep[], now: number) {
  const newIndex = new Map(steps.map((s, i) => [s.id, i]));
  // Where each old position lands: the first new step at or after it that was not already sent.
  const remap = oldSteps.map((old, i) => {
    const kept = newIndex.get(old.id);
    if (kept !== undefined) return kept;
    const later = oldSteps.slice(i + 1).map((s) => newIndex.get(s.id)).find((x) => x !== undefined);
    return later ?? steps.length;
  });
  remap.push(steps.length); // completed stays completed
  const mapping = JSON.stringify(remap.map((to, from) => [from, to]));
  const delays = JSON.stringify(steps.map((s) => s.delay_minutes * 60_000));
  const active = and(eq(dripEnrollments.dripId, id), eq(dripEnrollments.status, "active"));
  return db.batch([
    db.update(drips).set({ steps, updatedAt: now }).where(and(eq(drips.siteId, siteId), eq(drips.id, id))),
    db
      .update(dripEnrollments)
      .set({ nextStep: sql`coalesce((select value ->> '$[1]' from json_each(${mapping}) where value ->> '$[0]' = ${dripEnrollments.nextStep}), ${steps.length})` })
      .where(active),
    db
      .update(dripEnrollments)
      .set({
        nextDueAt: sql`case when ${dripEnrollments.nextStep} < ${steps.length} then ${dripEnrollments.enteredAt} + (select value from json_each(${delays}) where key = ${dripEnrollments.nextStep}) end`,
        status: sql`case when ${dripEnrollments.nextStep} < ${steps.length} then 'active' else 'completed' end`,
      })
      .where(active),
  ]);
}

/** Puts a new subscriber into every active drip of the site (once: a drip never takes someone twice). */
export const enrollSubscriber = (db: Db, siteId: string, subscriberId: string, now: number) =>
  db.run(sql`insert into ${dripEnrollments} (drip_id, subscriber_id, site_id, entered_at, next_step, next_due_at, status)
    select d.id, ${subscriberId}, ${siteId}, ${now}, 0, ${now} + (d.steps ->> '$[0].delay_minutes') * 60000, 'active'
    from ${drips} d where d.site_id = ${siteId} and d.status = 'active' and json_array_length(d.steps) > 0
    on conflict do nothing`);

export interface ClaimedEnrollment {
  dripId: string;
  subscriberId: string;
  siteId: string;
  nextStep: number;
  enteredAt: number;
}

/** Takes due enrollments of active drips (and claims whose run died) for this run, atomically. */
export async function claimDue(db: Db, token: string, now: number, staleBefore: number, limit: number): Promise<ClaimedEnrollment[]> {
  const res = await db.all<ClaimedEnrollment>(sql`update ${dripEnrollments} set claim = ${token}, claimed_at = ${now}
    where rowid in (
      select e.rowid from ${dripEnrollments} e join ${drips} d on d.id = e.drip_id
      where e.status = 'active' and e.next_due_at <= ${now} and d.status = 'active' and (e.claim is null or e.claimed_at < ${staleBefore})
      order by e.next_due_at limit ${limit})
    returning drip_id as dripId, subscriber_id as subscriberId, site_id as siteId, next_step as nextStep, entered_at as enteredAt`);
  return res;
}

/**
 * One step's send for the claimed subscribers, in one transaction: the notification, its link to
 * the step, and the subscribers moved on (to the next step's due time, or completed) — only the
 * rows this run still holds, so a run that lost its claim to a later one writes nothing that
 * matters twice. Unsubscribed subscribers leave instead.
 */
export function recordStep(
  db: Db,
  c: { siteId: string; dripId: string; step: number; stepId: string; token: string; nextDelayMs: number | null },
  notification: NotificationInsert,
  recipients: number,
  now: number,
) {
  const held = and(eq(dripEnrollments.dripId, c.dripId), eq(dripEnrollments.claim, c.token), eq(dripEnrollments.nextStep, c.step));
  return db.batch([
    db.insert(notifications).values(notification),
    db.insert(dripSends).values({ notificationId: notification.id, dripId: c.dripId, stepId: c.stepId, siteId: c.siteId, recipients, createdAt: now }),
    db
      .update(dripEnrollments)
      .set({ status: "left", claim: null })
      .where(and(held, sql`${dripEnrollments.subscriberId} in (select id from subscribers where site_id = ${c.siteId} and active = 0)`)),
    db
      .update(dripEnrollments)
      .set(
        c.nextDelayMs === null
          ? { nextStep: c.step + 1, nextDueAt: null, status: "completed", claim: null }
          : { nextStep: c.step + 1, nextDueAt: sql`${dripEnrollments.enteredAt} + ${c.nextDelayMs}`, claim: null },
      )
      .where(held),
  ]);
}

/** Completes claimed enrollments whose step no longer exists. */
export const completeClaimed = (db: Db, dripId: string, token: string) =>
  db.update(dripEnrollments).set({ status: "completed", nextDueAt: null, claim: null }).where(and(eq(dripEnrollments.dripId, dripId), eq(dripEnrollments.claim, token)));

/** Who is in the drip (active, completed, left) and, per step position, who reached it. */
export const enrollmentCounts = (db: Db, dripId: string) =>
  db
    .select({ status: dripEnrollments.status, nextStep: dripEnrollments.nextStep, n: sql<number>`count(*)` })
    .from(dripEnrollments)
    .where(eq(dripEnrollments.dripId, dripId))
    .groupBy(dripEnrollments.status, dripEnrollments.nextStep)
    .all();

/** Per step id: web push sends, impressions and clicks of the step's notifications. */
export const stepOutcomes = (db: Db, siteId: string, dripId: string) =>
  db.all<{ stepId: string; sent: number; shown: number; clicked: number }>(sql`
    select s.step_id as stepId,
      (select count(*) from deliveries d where d.notification_id in (select notification_id from drip_sends where drip_id = ${dripId} and step_id = s.step_id) and d.status = 'sent') as sent,
      (select count(*) from events e where e.notification_id in (select notification_id from drip_sends where drip_id = ${dripId} and step_id = s.step_id) and e.type = 'impression') as shown,
      (select count(*) from events e where e.notification_id in (select notification_id from drip_sends where drip_id = ${dripId} and step_id = s.step_id) and e.type = 'click') as clicked
    from (select distinct step_id from drip_sends where drip_id = ${dripId} and site_id = ${siteId}) s`);
