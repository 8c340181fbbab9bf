// Everything under /sites/:siteId: loads the site (and the user's role on it), renders the
// section nav, and routes to each section page, each its own lazy chunk behind its own
// error boundary (a page that throws shows a message; the nav and other pages keep working).
import type { ComponentType } from "preact";
import { Route, Router, lazy, useLocation, useRoute } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { PageErrorBoundary } from "../../components/PageErrorBoundary";
import { ErrorState, Loading, lazyPage } from "../../components/ui";
import { toApiError } from "../../lib/use-resource";
import { type Permission, can, currentSite, loadSite } from "../../state/sites";

/** A lazily loaded page inside its own error boundary, reset when the URL changes. */
function page(load: () => Promise<{ default: ComponentType }>): ComponentType {
  const Page = lazy(() => lazyPage(load));
  return function GuardedPage(props: object) {
    const { path } = useLocation();
    return <PageErrorBoundary resetKey={path}><Page {...props} /></PageErrorBoundary>;
  };
}

const Overview = page(() => import("../Overview/index"));
const Install = page(() => import("../Install/index"));
const Compose = page(() => import("../Compose/index"));
const Notifications = page(() => import("../Notifications/index"));
const NotificationDetail = page(() => import("../NotificationDetail/index"));
const Subscribers = page(() => import("../Subscribers/index"));
const SubscriberDetail = page(() => import("../SubscriberDetail/index"));
const Messages = page(() => import("../Messages/index"));
const MessageDetail = page(() => import("../MessageDetail/index"));
const Users = page(() => import("../Users/index"));
const Templates = page(() => import("../Templates/index"));
const Categories = page(() => import("../Categories/index"));
const Automations = page(() => import("../Automations/index"));
const Segments = page(() => import("../Segments/index"));
const TemplateEditor = page(() => import("../Templates/Editor"));
const UserDetail = page(() => import("../UserDetail/index"));
const Integrations = page(() => import("../Integrations/index"));
const Webhooks = page(() => import("../Webhooks/index"));
const Settings = page(() => import("../Settings/index"));
const Team = page(() => import("../Team/index"));
const ApiKeys = page(() => import("../ApiKeys/index"));
const NotFound = page(() => import("../NotFound/index"));

const SECTIONS: { path: string; label: string; needs?: Permission }[] = [
  { path: "", label: "Overview" },
  { path: "/compose", label: "Compose" },
  { path: "/notifications", label: "Notifications" },
  { path: "/messages", label: "Messages", needs: "notifications:read" },
  { path: "/automations", label: "Automations", needs: "notifications:read" },
  { path: "/subscribers", label: "Subscribers" },
  { path: "/segments", label: "Segments", needs: "subscribers:read" },
  { path: "/users", label: "Users", needs: "users:read" },
  { path: "/templates", label: "Templates", needs: "templates:read" },
  { path: "/categories", label: "Categories", needs: "categories:read" },
  { path: "/integrations", label: "Integrations", needs: "integrations:read" },
  { path: "/webhooks", label: "Webhooks", needs: "webhooks:read" },
  { path: "/install", label: "Install" },
  { path: "/settings", label: "Settings" },
  { path: "/team", label: "Team" },
  { path: "/api-keys", label: "API keys", needs: "api_keys:write" },
];

function SectionNav({ siteId }: { siteId: string }) {
  const { path } = useLocation();
  const base = `/sites/${siteId}`;
  const active = (p: string) => (p === "" ? path === base || path === `${base}/` : path.startsWith(base + p));
  return (
    <nav class="section-nav" aria-label="Site sections">
      <ul>
        {SECTIONS.filter((s) => !s.needs || can(s.needs)).map((s) => (
          <li key={s.path}>
            <a href={base + s.path} aria-current={active(s.path) ? "page" : undefined}>{s.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function SiteArea() {
  const { params } = useRoute();
  const siteId = params.siteId!;
  const [error, setError] = useState<ApiError | null>(null);
  const load = () => {
    setError(null);
    loadSite(siteId).catch((e) => setError(toApiError(e)));
  };
  useEffect(load, [siteId]);

  const site = currentSite.value;
  if (error && !site) return <div class="page"><ErrorState error={error} retry={load} what="this site" /></div>;
  if (!site || site.id !== siteId) return <Loading label="Loading site…" />;
  return (
    <div class="site-area">
      <SectionNav siteId={siteId} />
      <div class="site-content">
        <Router>
          <Route path="/" component={Overview} />
          <Route path="/install" component={Install} />
          <Route path="/compose" component={Compose} />
          <Route path="/notifications" component={Notifications} />
          <Route path="/notifications/:notificationId" component={NotificationDetail} />
          <Route path="/subscribers" component={Subscribers} />
          <Route path="/subscribers/:subscriberId" component={SubscriberDetail} />
          <Route path="/messages" component={Messages} />
          <Route path="/messages/:messageId" component={MessageDetail} />
          <Route path="/users" component={Users} />
          <Route path="/users/:externalId" component={UserDetail} />
          <Route path="/templates" component={Templates} />
          <Route path="/categories" component={Categories} />
          <Route path="/automations" component={Automations} />
          <Route path="/segments" component={Segments} />
          <Route path="/templates/:templateKey" component={TemplateEditor} />
          <Route path="/integrations" component={Integrations} />
          <Route path="/webhooks" component={Webhooks} />
          <Route path="/settings" component={Settings} />
          <Route path="/team" component={Team} />
          <Route path="/api-keys" component={ApiKeys} />
          <Route default component={NotFound} />
        </Router>
      </div>
    </div>
  );
}
