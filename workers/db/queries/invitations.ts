// SQL for team invitations. Accepting is one transaction: the membership is inserted from the
// invitation row only while it is pending, unexpired and addressed to the accepting e-mail.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type Role, siteInvitations, siteMembers, sites, users } from "../schema";

export type InvitationRow = typeof siteInvitations.$inferSelect;

/** Creates the invitation, or renews the one this (site, email) already has. Returns the row. */
export const upsertInvitation = (db: Db, row: InvitationRow) =>
  db
    .insert(siteInvitations)
    .values(row)
    .onConflictDoUpdate({
      target: [siteInvitations.siteId, siteInvitations.email],
      set: { role: row.role, invitedBy: row.invitedBy, status: "pending", createdAt: row.createdAt, expiresAt: row.expiresAt, respondedAt: null },
    })
    .returning()
    .get();

export const listPendingForSite = (db: Db, siteId: string, now: number) =>
  db
    .select()
    .from(siteInvitations)
    .where(and(eq(siteInvitations.siteId, siteId), eq(siteInvitations.status, "pending"), gt(siteInvitations.expiresAt, now)))
    .orderBy(asc(siteInvitations.createdAt))
    .all();

export const listPendingForEmail = (db: Db, email: string, now: number) =>
  db
    .select({ invitation: siteInvitations, siteName: sites.name, siteUrl: sites.url, invitedByName: users.name })
    .from(siteInvitations)
    .innerJoin(sites, eq(sites.id, siteInvitations.siteId))
    .leftJoin(users, eq(users.id, siteInvitations.invitedBy))
    .where(and(eq(siteInvitations.email, email), eq(siteInvitations.status, "pending"), gt(siteInvitations.expiresAt, now)))
    .orderBy(asc(siteInvitations.createdAt))
    .all();

export const revokeInvitation = (db: Db, siteId: string, id: string, now: number) =>
  db
    .update(siteInvitations)
    .set({ status: "revoked", respondedAt: now })
    .where(and(eq(siteInvitations.siteId, siteId), eq(siteInvitations.id, id), eq(siteInvitations.status, "pending")))
    .run();

/** Accepts a pending, unexpired invitation addressed to `email`: membership and status in one transaction.
 *  Returns the site and role when it applied. */
export async function acceptInvitation(db: Db, id: string, email: string, userId: string, now: number) {
  const pending = and(
    eq(siteInvitations.id, id),
    eq(siteInvitations.email, email),
    eq(siteInvitations.status, "pending"),
    gt(siteInvitations.expiresAt, now),
  );
  const [, accepted] = await db.batch([
    db
      .insert(siteMembers)
      .select(
        db
          .select({ siteId: siteInvitations.siteId, userId: sql<string>`${userId}`.as("user_id"), role: siteInvitations.role, createdAt: sql<number>`${now}`.as("created_at") })
          .from(siteInvitations)
          .where(pending),
      )
      .onConflictDoNothing(),
    db.update(siteInvitations).set({ status: "accepted", respondedAt: now }).where(pending).returning({ siteId: siteInvitations.siteId, role: siteInvitations.role }),
  ]);
  return accepted[0] as { siteId: string; role: Role } | undefined;
}

export const declineInvitation = (db: Db, id: string, email: string, now: number) =>
  db
    .update(siteInvitations)
    .set({ status: "declined", respondedAt: now })
    .where(and(eq(siteInvitations.id, id), eq(siteInvitations.email, email), eq(siteInvitations.status, "pending")))
    .run();
