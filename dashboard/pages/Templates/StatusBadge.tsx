// Where a template stands: never published, live as version N, or live with unpublished changes.
import { Badge } from "../../components/ui";
import type { TemplateSummary } from "./api";

export function StatusBadge({ t }: { t: Pick<TemplateSummary, "current_version" | "draft_changed"> }) {
  if (t.current_version === null) return <Badge tone="grey">not published</Badge>;
  return (
    <span class="tags">
      <Badge tone="green">{`v${t.current_version} live`}</Badge>
      {t.draft_changed && <Badge tone="amber">unpublished changes</Badge>}
    </span>
  );
}
