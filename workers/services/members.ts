// Site team: list, change role, remove (people join by invitation: services/invitations.ts).
// Invariant: a site always keeps at least one owner.
import * as q from "../db/queries/members";
import type { Role } from "../db/schema";
import { ApiError } from "../errors";
import type { Deps } from "./deps";

export interface MemberView {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: number;
}

type MemberRow = Awaited<ReturnType<typeof q.listMembers>>[number];
const view = (m: MemberRow): MemberView => ({ user_id: m.userId, email: m.email, name: m.name, role: m.role, created_at: m.createdAt });

export async function listMembers(deps: Deps, siteId: string): Promise<MemberView[]> {
  return (await q.listMembers(deps.db, siteId)).map(view);
}

async function getMember(deps: Deps, siteId: string, userId: string): Promise<MemberView> {
  const member = (await q.listMembers(deps.db, siteId)).find((m) => m.userId === userId);
  if (!member) throw new ApiError("not_found", "Member not found.");
  return view(member);
}

async function assertKeepsOwner(deps: Deps, siteId: string, userId: string) {
  const current = await q.findMembership(deps.db, siteId, userId);
  if (!current) throw new ApiError("not_found", "Member not found.");
  if (current.role === "owner" && (await q.countOwners(deps.db, siteId)) <= 1) throw new ApiError("last_owner");
}

export async function changeRole(deps: Deps, siteId: string, userId: string, role: Role): Promise<MemberView> {
  if (role !== "owner") await assertKeepsOwner(deps, siteId, userId);
  else if (!(await q.findMembership(deps.db, siteId, userId))) throw new ApiError("not_found", "Member not found.");
  await q.updateMemberRole(deps.db, siteId, userId, role);
  return getMember(deps, siteId, userId);
}

export async function removeMember(deps: Deps, siteId: string, userId: string): Promise<void> {
  await assertKeepsOwner(deps, siteId, userId);
  await q.deleteMember(deps.db, siteId, userId);
}
