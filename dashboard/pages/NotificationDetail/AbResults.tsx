// A campaign's A/B test on its page (issue #10 §7): each variant's sends, impressions, clicks and
// click-through with its 95 % interval — sample sizes shown, so a lead inside the noise reads as
// one — the window's end, the winner and whether its lead was clear; pick one by hand while the
// test runs.
import { useState } from "preact/hooks";
import { request } from "../../api";
import { Alert, Badge, Button, Card } from "../../components/ui";
import { fmtDate, fmtInt } from "../../lib/format";
import { toApiError } from "../../lib/use-resource";
import { can, currentSite } from "../../state/sites";
import { toast } from "../../state/toasts";
import type { CampaignRecord } from "../Compose/campaign";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const letter = (i: number) => String.fromCharCode(65 + i);

export function AbResults({ n, onChange }: { n: CampaignRecord; onChange: () => void }) {
  const site = currentSite.value!;
  const ab = n.ab_test!;
  const [busy, setBusy] = useState<number | null>(null);
  const pick = async (variant: number) => {
    setBusy(variant);
    try {
      await request("POST", `/api/sites/${encodeURIComponent(site.id)}/notifications/${encodeURIComponent(n.id)}/ab-test/winner`, { variant });
      toast(`Variant ${letter(variant)} is going to the rest of the audience`);
      onChange();
    } catch (e) {
      toast(toApiError(e).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card title="A/B test">
      <p class="muted small">
        {Math.round(ab.test_share * 100)} % of the audience, split between {ab.variants.length} variants
        {ab.phase === "testing" && ab.test_ends_at ? `; ${ab.pick === "manual" ? "you pick the winner" : `the best click-through goes to the rest at ${fmtDate(ab.test_ends_at, site.settings.timezone)}`}.` : "."}
        {" "}Click-through counts clicks over impressions where browsers report them, else over sends; the range is where the true rate likely lies (95 %).
      </p>
      {ab.phase === "decided" && ab.winner !== undefined && (
        <Alert tone={ab.confident ? "info" : "warn"}>
          Variant {letter(ab.winner)} went to the rest of the audience. {ab.confident ? "Its lead was clear." : "Its lead was within the noise: the variants may do equally well."}
        </Alert>
      )}
      <table class="table table-fit runs-table">
        <thead><tr><th>Variant</th><th class="num">Sent</th><th class="num">Shown</th><th class="num">Clicks</th><th class="num">Click-through</th>{ab.phase === "testing" && can("notifications:send") && <th />}</tr></thead>
        <tbody>
          {ab.results.map((r) => (
            <tr key={r.variant}>
              <td><strong>{letter(r.variant)}</strong> {ab.winner === r.variant && <Badge tone="green">winner</Badge>}<br /><span class="small">{String(ab.variants[r.variant]?.title ?? "")}</span></td>
              <td class="num">{fmtInt(r.sent)}</td>
              <td class="num">{fmtInt(r.impressions)}</td>
              <td class="num">{fmtInt(r.clicks)}</td>
              <td class="num">{pct(r.ctr)}<br /><span class="muted small">{pct(r.ctr_low)}–{pct(r.ctr_high)}</span></td>
              {ab.phase === "testing" && can("notifications:send") && <td><Button size="sm" busy={busy === r.variant} onClick={() => pick(r.variant)}>Send to the rest</Button></td>}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
