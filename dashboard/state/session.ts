// Who is signed in. The access token lives only in this signal (never in storage); the
// refresh token is an httpOnly cookie the API manages, exchanged in api.ts on load and on 401.
import { signal } from "@preact/signals";
import type { Session, User } from "../types";

export const accessToken = signal<string | null>(null);
export const currentUser = signal<User | null>(null);
/** "checking" until the first refresh attempt settles, so routes never flash the sign-in page. */
export const sessionStatus = signal<"checking" | "signed-in" | "signed-out">("checking");
/** Set when a session ends underneath the user, shown on the sign-in page. */
export const sessionNotice = signal<string | null>(null);

export function startSession(session: Session) {
  accessToken.value = session.access_token;
  currentUser.value = session.user;
  sessionNotice.value = null;
  sessionStatus.value = "signed-in";
}

export function endSession(notice: string | null = null) {
  accessToken.value = null;
  currentUser.value = null;
  sessionNotice.value = notice;
  sessionStatus.value = "signed-out";
}

export function onSessionLost() {
  if (sessionStatus.value === "signed-in") endSession("Your session has ended. Please sign in again.");
}
