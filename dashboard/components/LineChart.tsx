// A small responsive uPlot line/area chart for daily series. uPlot ships in the chunk of
// the page that uses it (the overview), never in the initial bundle.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";

export interface Series { label: string; values: number[]; color: string; fill?: boolean; format?: (v: number) => string }

export function LineChart({ title, dates, series, height = 220 }: { title: string; dates: string[]; series: Series[]; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const xs = dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const fmt = series[0]?.format ?? ((v: number) => String(v));
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "UTC"),
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: true, live: true },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: "#64748b", grid: { stroke: "#eef2f7", width: 1 }, ticks: { show: false }, font: "11px system-ui, sans-serif" },
        { stroke: "#64748b", grid: { stroke: "#eef2f7", width: 1 }, ticks: { show: false }, size: 48, font: "11px system-ui, sans-serif",
          values: (_u, vals) => vals.map((v) => fmt(v)) },
      ],
      series: [
        { label: "Date", value: (_u, v) => (v == null ? "" : new Date(v * 1000).toISOString().slice(0, 10)) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.fill ? `${s.color}1f` : undefined,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? "" : (s.format ?? String)(v)),
        })),
      ],
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [dates, series, height]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={host} class="chart-host" role="img" aria-label={`${title}: chart of the last ${dates.length} days`} />
    </figure>
  );
}
