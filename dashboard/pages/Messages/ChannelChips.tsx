// One chip per channel of a message: "Email: 198 sent · 2 failed", its dot coloured by how it
// went (red: something failed, amber: going out, green: done, grey: queued or nobody to reach).
import type { MessageRecord } from "../../types";
import "./messages.css";
import { channelsOf, chipText, chipTone } from "./status";

export function ChannelChips({ m }: { m: MessageRecord }) {
  const channels = channelsOf(m);
  if (!channels.length) return <span class="muted">—</span>;
  return (
    <ul class="chan-chips">
      {channels.map(([c, s]) => (
        <li key={c} class={`chan-chip chan-${chipTone(s)}`}>{chipText(c, s)}</li>
      ))}
    </ul>
  );
}
