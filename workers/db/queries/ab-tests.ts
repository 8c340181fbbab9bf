// SQL of A/B tests (services/ab-tests): a campaign's variant sends (children), their numbers,
// the tests whose window ended.
import { and, asc, eq, sql } from "drizzle-orm";
import type { StoredAbTest } from "../../contracts/ab-test";
import type { Db } from "../client";
import { notifications } from "../schema";
import type { NotificationRow } from "./notifications";

export type NotificationInsert = typeof notifications.$inferInsert;

const uniqueFailure = (e: unknown) => String((e as Error).message).includes("UNIQUE constraint failed") || String((e as Error).message).includes("PRIMARY KEY");

/** The variants' sends and the campaign's move to testing, in one transaction; false when they exist already. */
export async function insertChildren(db: Db, parent: NotificationRow, children: NotificationInsert[], patch: { abTest: StoredAbTest; target: Record<string, unknown> }, now: number) {
  try {
    await db.batch([
      db.update(notifications).set({ abTest: patch.abTest, target: patch.target, updatedAt: now }).where(eq(notifications.id, parent.id)),
      ...children.map((c) => db.insert(notifications).values(c)),
    ]);
    return true;
  } catch (e) {
    if (uniqueFailure(e)) return false;
    throw e;
  }
}

/** The winner's send and the campaign's move to decided (and completed), together; false when a winner was sent already. */
export async function insertWinner(db: Db, parent: NotificationRow, winner: NotificationInsert, abTest: StoredAbTest, now: number) {
  try {
    await db.batch([
      db.insert(notifications).values(winner),
      db.update(notifications).set({ abTest, status: "completed", completedAt: now, updatedAt: now }).where(eq(notifications.id, parent.id)),
    ]);
    return true;
  } catch (e) {
    if (uniqueFailure(e)) return false;
    throw e;
  }
}

/** Per variant send of a campaign (not the winner's): web push sent, impressions, clicks. */
export const variantCounts = (db: Db, siteId: string, parentId: string) =>
  db.all<{ id: string; variant: number; sent: number; impressions: number; clicks: number }>(sql`
    select n.id, n.variant,
      (select count(*) from deliveries d where d.notification_id = n.id and d.channel = 'web_push' and d.status = 'sent') as sent,
      (select count(*) from events e where e.notification_id = n.id and e.type = 'impression') as impressions,
      (select count(*) from events e where e.notification_id = n.id and e.type = 'click') as clicks
    from ${notifications} n
    where n.site_id = ${siteId} and n.parent_id = ${parentId} and n.id != ${`${parentId}_w`}
    order by n.variant`);

/** Every send of a campaign's test (variants and winner), in id order. */
export const childrenOf = (db: Db, siteId: string, parentId: string) =>
  db.select().from(notifications).where(and(eq(notifications.siteId, siteId), eq(notifications.parentId, parentId))).orderBy(asc(notifications.id)).all();

/** Tests whose window ended, picked automatically, not decided yet. */
export const dueTests = (db: Db, now: number) =>
  db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.status, "sending"),
        sql`json_extract(${notifications.abTest}, '$.phase') = 'testing'`,
        sql`json_extract(${notifications.abTest}, '$.test_ends_at') <= ${now}`,
        sql`coalesce(json_extract(${notifications.abTest}, '$.pick'), 'auto') = 'auto'`,
      ),
    )
    .limit(50)
    .all();
