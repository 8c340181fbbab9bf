// Who is signed in. The access token lives only in this signal (never in storage); the
// refresh token is an httpOnly cookie the API manages, exchanged in api.ts on load and on 401.
// localStorage keeps one flag, "this browser has signed in", so a first visit does not ask
// the API to refresh a session it never had (that answers 400 and logs a console error).
import { signal } from "@preact/signals";
import type { Session, User } from "../types";

export const accessToken = signal<string | null>(null);
export const currentUser = signal<User | null>(null);
/** "checking" until the first refresh attempt settles, so routes never flash the sign-in page. */
export const sessionStatus = signal<"checking" | "signed-in" | "signed-out">("checking");
/** Set when a session ends underneath the user, shown on the sign-in page. */
export const sessionNotice = signal<string | null>(null);

const SIGNED_IN_KEY = "herald_signed_in";

/** Signing out revokes the access token at once: requests still in flight, or started while the
 *  logout is on its way, would come back 401 and try a refresh that can only fail (console
 *  errors, for nothing). So the token is dropped first (api.ts sends nothing without one) and
 *  the requests in flight are aborted. */
let sessionRequests = new AbortController();
export const sessionSignal = () => sessionRequests.signal;
export function stopSessionRequests() {
  accessToken.value = null;
  sessionRequests.abort();
  sessionRequests = new AbortController();
}

/** Whether this browser signed in and has not signed out since (it may hold a refresh cookie). */
export function hasSignedIn(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_KEY) === "1";
  } catch {
    return true; // storage blocked: try the refresh rather than never restoring a session
  }
}

export function markSignedIn(on: boolean) {
  try {
    if (on) localStorage.setItem(SIGNED_IN_KEY, "1");
    else localStorage.removeItem(SIGNED_IN_KEY);
  } catch {}
}

export function startSession(session: Session) {
  accessToken.value = session.access_token;
  currentUser.value = session.user;
  sessionNotice.value = null;
  sessionStatus.value = "signed-in";
  markSignedIn(true);
}

export function endSession(notice: string | null = null) {
  accessToken.value = null;
  currentUser.value = null;
  sessionNotice.value = notice;
  sessionStatus.value = "signed-out";
}

/** Signing out, or the API refusing the refresh: nothing left to restore on the next visit. */
export function signedOut(notice: string | null = null) {
  markSignedIn(false);
  endSession(notice);
}

export function onSessionLost() {
  if (sessionStatus.value === "signed-in") signedOut("Your session has ended. Please sign in again.");
}
