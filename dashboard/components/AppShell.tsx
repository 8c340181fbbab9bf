// The frame around signed-in pages: top bar (brand, site switcher, account menu) and a
// skip link. Site pages add their own section nav inside (pages/SiteArea).
import type { ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { currentUser, signedOut, stopSessionRequests } from "../state/session";
import { currentSite, loadSites, sites } from "../state/sites";
import { Button } from "./ui";

export function Logo() {
  return (
    <span class="logo" aria-hidden="true">
      <svg viewBox="0 0 32 32" width="28" height="28">
        <rect width="32" height="32" rx="8" fill="currentColor" />
        <path d="M10 22V10h3v4.5h6V10h3v12h-3v-4.5h-6V22z" fill="#fff" />
      </svg>
    </span>
  );
}

function SiteSwitcher() {
  const { route } = useLocation();
  const site = currentSite.value;
  const list = sites.value;
  useEffect(() => {
    if (!list) loadSites().catch(() => {});
  }, []);
  if (!site || !list || list.length < 2) return site ? <span class="crumb-site">{site.name}</span> : null;
  return (
    <label class="site-switcher">
      <span class="visually-hidden">Current site</span>
      <select value={site.id} onChange={(e) => route(`/sites/${(e.currentTarget as HTMLSelectElement).value}`)}>
        {list.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
      </select>
    </label>
  );
}

function AccountMenu() {
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const user = currentUser.value;
  const signOut = async () => {
    setBusy(true);
    stopSessionRequests(); // before the token is revoked, so no request comes back 401
    await api.logout().catch(() => {});
    sites.value = null;
    currentSite.value = null;
    signedOut();
    route("/signin");
  };
  return (
    <div class="account">
      <span class="account-name" title={user?.email}>{user?.name ?? user?.email}</span>
      <Button size="sm" variant="ghost" onClick={signOut} busy={busy}>Sign out</Button>
    </div>
  );
}

export function AppShell({ children }: { children: ComponentChildren }) {
  return (
    <div class="app">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a href="/" class="brand">
          <Logo />
          <span>Herald</span>
        </a>
        {currentSite.value && <span class="topbar-sep" aria-hidden="true">/</span>}
        <SiteSwitcher />
        <div class="topbar-spacer" />
        <AccountMenu />
      </header>
      <div id="main" class="app-main" tabIndex={-1}>{children}</div>
    </div>
  );
}
