// Entry: restores the session from the refresh cookie (when this browser has signed in), then routes. Every page is its own
// lazily loaded chunk (preact-iso lazy), so the first load carries only the shell.
import "./styles.css";
import { render } from "preact";
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from "preact-iso";
import { useEffect } from "preact/hooks";
import { restoreSession } from "./api";
import { AppShell } from "./components/AppShell";
import { PageErrorBoundary } from "./components/PageErrorBoundary";
import { Loading, Toasts, lazyPage } from "./components/ui";
import { sessionStatus, startSession, endSession } from "./state/session";

const SignIn = lazy(() => lazyPage(() => import("./pages/SignIn/index")));
const SignUp = lazy(() => lazyPage(() => import("./pages/SignUp/index")));
const Sites = lazy(() => lazyPage(() => import("./pages/Sites/index")));
const SiteArea = lazy(() => lazyPage(() => import("./pages/SiteArea/index")));
const NotFound = lazy(() => lazyPage(() => import("./pages/NotFound/index")));

const PUBLIC = ["/signin", "/signup"];

function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useEffect(() => route(to, true), [to]);
  return <Loading />;
}

function Routes() {
  const { path, url } = useLocation();
  const status = sessionStatus.value;
  if (status === "checking") return <div class="boot"><Loading label="Opening Herald…" /></div>;
  const isPublic = PUBLIC.includes(path);
  if (status === "signed-out" && !isPublic) {
    const next = path === "/" ? "" : `?next=${encodeURIComponent(url)}`;
    return <Redirect to={`/signin${next}`} />;
  }
  if (status === "signed-in" && isPublic) return <Redirect to="/" />;

  const router = (
    // Site pages have their own boundaries (pages/SiteArea); this one covers the rest.
    <PageErrorBoundary resetKey={path}>
    <Router>
      <Route path="/signin" component={SignIn} />
      <Route path="/signup" component={SignUp} />
      <Route path="/" component={Sites} />
      {/* "/*" needs at least one more segment, so the bare site path gets its own route. */}
      <Route path="/sites/:siteId" component={SiteArea} />
      <Route path="/sites/:siteId/*" component={SiteArea} />
      <Route default component={NotFound} />
    </Router>
    </PageErrorBoundary>
  );
  return isPublic ? router : <AppShell>{router}</AppShell>;
}

function App() {
  return (
    <LocationProvider>
      <ErrorBoundary onError={(e) => console.error(e)}>
        <Routes />
      </ErrorBoundary>
      <Toasts />
    </LocationProvider>
  );
}

restoreSession().then((session) => (session ? startSession(session) : endSession()));
render(<App />, document.getElementById("app")!);
