// SQL for site membership.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { type Role, siteMembers, sites, siteVapidKeys, users } from "../schema";

export const findMembership = (db: Db, siteId: string, userId: string) =>
  db
    .select({ role: siteMembers.role })
    .from(siteMembers)
    .where(and(eq(siteMembers.siteId, siteId), eq(siteMembers.userId, userId)))
    .get();

/** The membership of whoever has this e-mail, if they are on the site's team. */
export const findMembershipByEmail = (db: Db, siteId: string, email: string) =>
  db
    .select({ role: siteMembers.role })
    .from(siteMembers)
    .innerJoin(users, eq(users.id, siteMembers.userId))
    .where(and(eq(siteMembers.siteId, siteId), eq(users.email, email)))
    .get();

export const listMembers = (db: Db, siteId: string) =>
  db
    .select({ userId: users.id, email: users.email, name: users.name, role: siteMembers.role, createdAt: siteMembers.createdAt })
    .from(siteMembers)
    .innerJoin(users, eq(users.id, siteMembers.userId))
    .where(eq(siteMembers.siteId, siteId))
    .orderBy(asc(siteMembers.createdAt))
    .all();

export const updateMemberRole = (db: Db, siteId: string, userId: string, role: Role) =>
  db.update(siteMembers).set({ role }).where(and(eq(siteMembers.siteId, siteId), eq(siteMembers.userId, userId))).run();

export const deleteMember = (db: Db, siteId: string, userId: string) =>
  db.delete(siteMembers).where(and(eq(siteMembers.siteId, siteId), eq(siteMembers.userId, userId))).run();

export const countOwners = async (db: Db, siteId: string) =>
  (await db.$count(siteMembers, and(eq(siteMembers.siteId, siteId), eq(siteMembers.role, "owner"))));

/** The sites a user belongs to, with their role and VAPID public key (for GET /api/me and GET /api/sites). */
export const listSitesForUser = (db: Db, userId: string) =>
  db
    .select({ site: sites, role: siteMembers.role, vapidPublicKey: siteVapidKeys.publicKey })
    .from(siteMembers)
    .innerJoin(sites, eq(sites.id, siteMembers.siteId))
    .innerJoin(siteVapidKeys, eq(siteVapidKeys.siteId, sites.id))
    .where(eq(siteMembers.userId, userId))
    .orderBy(asc(sites.createdAt))
    .all();
