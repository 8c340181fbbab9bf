// A user's preferences as they chose them (issue #9 §3), read-only: channels switched off, each
// category's effective switch, and their quiet hours (else the site's default). Users change them
// in the inbox widget; the site's server through PUT …/users/{externalId}/preferences.
import { Badge, Card, ErrorState, Loading } from "../../components/ui";
import { useResource } from "../../lib/use-resource";
import { request } from "../../api";
import { CHANNEL_IDS, CHANNEL_LABELS } from "../../../workers/contracts/channels";
import type { PreferencesView } from "../../../workers/contracts/preferences";

export function Preferences({ siteId, externalId }: { siteId: string; externalId: string }) {
  const res = useResource(
    () => request<PreferencesView>("GET", `/api/sites/${encodeURIComponent(siteId)}/users/${encodeURIComponent(externalId)}/preferences`),
    [siteId, externalId],
  );
  const p = res.data;
  const offList = (switches: Record<string, boolean>) => CHANNEL_IDS.filter((c) => switches[c] === false).map((c) => CHANNEL_LABELS[c]);
  return (
    <Card title="Preferences">
      {res.error && <ErrorState error={res.error} retry={res.reload} what="this user's preferences" />}
      {!p && !res.error && <Loading label="Loading preferences…" />}
      {p && (
        <div class="small" data-testid="user-preferences">
          <p>
            <strong>Channels:</strong> {offList(p.channels).length ? `everything but ${offList(p.channels).join(", ")}` : "all on"}
          </p>
          <p>
            <strong>Quiet hours:</strong>{" "}
            {p.quiet_hours
              ? `${p.quiet_hours.start}–${p.quiet_hours.end}${p.quiet_hours.timezone ? ` (${p.quiet_hours.timezone})` : ""}`
              : p.site_quiet_hours
                ? `the site's default, ${p.site_quiet_hours.start}–${p.site_quiet_hours.end}`
                : "none"}
          </p>
          {p.categories.length > 0 && (
            <ul class="plain-list">
              {p.categories.map((c) => (
                <li key={c.key}>
                  {c.name} <Badge tone={c.required ? "amber" : c.enabled ? "green" : "grey"}>{c.required ? "required" : c.enabled ? "on" : "off"}</Badge>
                  {c.enabled && offList(c.channels).length > 0 && <span class="muted"> · not by {offList(c.channels).join(", ")}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Card>
  );
}
