// A small responsive uPlot line/area chart for daily series. uPlot ships in the chunk of
// the page that uses it (the overview), never in the initial bundle. With too little to draw
// (fewer than 2 points, or nothing but zeros) it says so instead of plotting a flat line, and
// the legend shows values only while the pointer is on a point (no "Date: Gained:" at rest).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export interface Series { label: string; values: number[]; color: string; fill?: boolean; format?: (v: number) => string }

/** Tick steps for whole-number axes (counts): never 0.2 subscribers. */
const INTEGER_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

/** Whether there is anything worth drawing: two points or more, and some value other than 0. */
export function hasChartData(points: number, series: Series[]): boolean {
  return points >= 2 && series.some((s) => s.values.some((v) => Number.isFinite(v) && v !== 0));
}

const dayLabel = (sec: number) => {
  const d = new Date(sec * 1000);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 10);
};

/**
 * dates: "YYYY-MM-DD" days (drawn in UTC so a day never shifts), or minutes: unix ms
 * (drawn in the viewer's zone). empty: what will appear here once there is data.
 */
export function LineChart({ title, dates, minutes, series, height = 220, integer = false, empty }: {
  title: string; dates?: string[]; minutes?: number[]; series: Series[]; height?: number; integer?: boolean;
  empty: { title?: string; text: ComponentChildren };
}) {
  const host = useRef<HTMLDivElement>(null);
  const points = dates?.length ?? minutes?.length ?? 0;
  const drawable = hasChartData(points, series);
  useEffect(() => {
    const el = host.current;
    if (!el || !drawable) return;
    const daily = !!dates;
    const xs = dates ? dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000) : (minutes ?? []).map((m) => m / 1000);
    const fmt = series[0]?.format ?? ((v: number) => String(v));
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      tzDate: (ts) => (daily ? uPlot.tzDate(new Date(ts * 1000), "UTC") : new Date(ts * 1000)),
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: true, live: true },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, integer ? Math.max(Math.ceil(max * 1.1), 5) : max > 0 ? max * 1.1 : 0.01] } },
      axes: [
        { stroke: "#64748b", grid: { stroke: "#eef2f7", width: 1 }, ticks: { show: false }, font: "11px system-ui, sans-serif" },
        { stroke: "#64748b", grid: { stroke: "#eef2f7", width: 1 }, ticks: { show: false }, size: 48, font: "11px system-ui, sans-serif", ...(integer ? { incrs: INTEGER_INCRS } : {}),
          values: (_u, vals) => vals.map((v) => fmt(v)) },
      ],
      series: [
        { label: daily ? "Date" : "Time", value: (_u, v) => (v == null ? "" : daily ? dayLabel(v) : new Date(v * 1000).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.fill ? `${s.color}1f` : undefined,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? "" : (s.format ?? String)(v)),
        })),
      ],
      hooks: {
        // uPlot's u-live class shows "Label:" and the values; only while a point is hovered.
        setCursor: [(u) => u.root.querySelector(".u-legend")?.classList.toggle("u-live", u.cursor.idx != null)],
        ready: [(u) => u.root.querySelector(".u-legend")?.classList.remove("u-live")],
      },
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [dates, minutes, series, height, integer, drawable]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {drawable ? (
        <div ref={host} class="chart-host" role="img" aria-label={dates ? `${title}: chart of the last ${dates.length} days` : `${title}: chart by minute`} />
      ) : (
        <div class="chart-empty" style={{ minHeight: `${Math.round(height * 0.6)}px` }}>
          <strong>{empty.title ?? "No data yet for this period"}</strong>
          <p>{empty.text}</p>
        </div>
      )}
    </figure>
  );
}
