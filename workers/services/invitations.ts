// Team invitations (issue #7): adding someone to a site is an invitation they accept or decline
// from their own account — nobody finds a stranger's site in their list without consent. The
// answer to an invitation never reveals whether the e-mail has a Herald account. (Invitations are
// seen in the dashboard after signing in; an e-mail is sent once an email channel exists.)
import { INVITATION_TTL_MS } from "../config";
import * as q from "../db/queries/invitations";
import { findMembershipByEmail } from "../db/queries/members";
import { findUserById } from "../db/queries/users";
import type { Role } from "../db/schema";
import { ApiError } from "../errors";
import { newId } from "../lib/ids";
import { normaliseEmail } from "./auth";
import type { Deps } from "./deps";

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  status: q.InvitationRow["status"];
  created_at: number;
  expires_at: number;
}

const view = (r: q.InvitationRow): InvitationView => ({
  id: r.id,
  email: r.email,
  role: r.role,
  status: r.status,
  created_at: r.createdAt,
  expires_at: r.expiresAt,
});

export async function invite(deps: Deps, siteId: string, invitedBy: string | null, input: { email: string; role: Role }): Promise<InvitationView> {
  const email = normaliseEmail(input.email);
  // Telling the owner that someone is already on their own team reveals nothing new to them.
  if (await findMembershipByEmail(deps.db, siteId, email)) {
    throw new ApiError("already_member", "This person is already on the team.", [{ path: "email", message: "Already on the team." }]);
  }
  const now = deps.now();
  const row = await q.upsertInvitation(deps.db, {
    id: newId("inv", now),
    siteId,
    email,
    role: input.role,
    invitedBy,
    status: "pending",
    createdAt: now,
    expiresAt: now + INVITATION_TTL_MS,
    respondedAt: null,
  });
  return view(row);
}

export async function listSiteInvitations(deps: Deps, siteId: string): Promise<InvitationView[]> {
  return (await q.listPendingForSite(deps.db, siteId, deps.now())).map(view);
}

export async function revoke(deps: Deps, siteId: string, id: string): Promise<void> {
  const res = await q.revokeInvitation(deps.db, siteId, id, deps.now());
  if (res.meta.changes !== 1) throw new ApiError("not_found", "No pending invitation with this id.");
}

async function userEmail(deps: Deps, userId: string): Promise<string> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new ApiError("invalid_token");
  return user.email;
}

export interface MyInvitation extends InvitationView {
  site: { id: string; name: string; url: string };
  invited_by: string | null;
}

export async function myInvitations(deps: Deps, userId: string): Promise<MyInvitation[]> {
  const rows = await q.listPendingForEmail(deps.db, await userEmail(deps, userId), deps.now());
  return rows.map((r) => ({
    ...view(r.invitation),
    site: { id: r.invitation.siteId, name: r.siteName, url: r.siteUrl },
    invited_by: r.invitedByName,
  }));
}

export async function accept(deps: Deps, userId: string, id: string): Promise<{ site_id: string; role: Role }> {
  const accepted = await q.acceptInvitation(deps.db, id, await userEmail(deps, userId), userId, deps.now());
  if (!accepted) throw new ApiError("not_found", "This invitation does not exist, has expired or was already answered.");
  return { site_id: accepted.siteId, role: accepted.role };
}

export async function decline(deps: Deps, userId: string, id: string): Promise<void> {
  const res = await q.declineInvitation(deps.db, id, await userEmail(deps, userId), deps.now());
  if (res.meta.changes !== 1) throw new ApiError("not_found", "This invitation does not exist or was already answered.");
}
