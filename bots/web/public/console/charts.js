import uPlot from '/console/vendor/uPlot.esm.js';
import { h } from './dom.js';

/**
 * Charts, drawn by uPlot (served from node_modules). Each chart sits in a figure whose label
 * says in words what it shows, for screen readers and for anyone who cannot see the lines.
 */

const DAY_S = 86_400;
export const COLORS = ['#2451c2', '#c2410c', '#0f7a55', '#7c3aed', '#b42318', '#0e7490', '#a16207'];
const PRIORITY_COLORS = { low: '#94a3b8', medium: '#2451c2', high: '#c2410c', critical: '#b42318' };

const seconds = (date) => Date.parse(`${date}T00:00:00Z`) / 1000;

/** A 14-day sparkline of daily counts (oldest first) that fits a table cell. */
export function sparkline(counts, label) {
  const total = counts.reduce((a, b) => a + b, 0);
  const box = h('span', {
    class: 'sparkline',
    role: 'img',
    'aria-label': `${label}: ${total} reports in the last ${counts.length} days`,
  });
  const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
  const xs = counts.map((_, i) => today - (counts.length - 1 - i) * DAY_S);
  const chart = new uPlot(
    {
      width: 112,
      height: 28,
      pxAlign: false,
      cursor: { show: false },
      legend: { show: false },
      select: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: false }, y: { range: [0, Math.max(1, ...counts)] } },
      series: [
        {},
        { stroke: '#2451c2', width: 1.5, fill: 'rgb(36 81 194 / 12%)', points: { show: false } },
      ],
    },
    [xs, counts],
    box,
  );
  box.dataset.total = String(total);
  return { el: box, destroy: () => chart.destroy() };
}

/**
 * Daily counts as a chart: `days` are `[{date: 'YYYY-MM-DD', …}]`, `series` are
 * `[{label, value: (day) => number, color?}]`. One series is drawn as bars, several as lines.
 */
export function dailyChart(days, series, { label, height = 220 } = {}) {
  const figure = h('figure', {
    class: 'chart',
    role: 'img',
    'aria-label': describe(days, series, label),
  });
  const xs = days.map((d) => seconds(d.date));
  const data = [xs, ...series.map((s) => days.map((d) => s.value(d)))];
  const bars = series.length === 1;
  const opts = {
    width: 600,
    height,
    legend: { show: !bars, live: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [
      {},
      { size: 44, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : '')) },
    ],
    series: [
      {
        label: 'Day',
        value: (_u, v) => (v === null ? '' : new Date(v * 1000).toISOString().slice(0, 10)),
      },
      ...series.map((s, i) => {
        const color = s.color ?? COLORS[i % COLORS.length];
        return bars
          ? {
              label: s.label,
              stroke: color,
              fill: color,
              paths: uPlot.paths.bars({ size: [0.7, 40] }),
              points: { show: false },
            }
          : { label: s.label, stroke: color, width: 2, points: { size: 4 } };
      }),
    ],
  };
  let chart;
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.max(240, Math.floor(entry.contentRect.width));
    if (!chart) chart = new uPlot({ ...opts, width }, data, figure);
    else if (chart.width !== width) chart.setSize({ width, height });
  });
  observer.observe(figure);
  return {
    el: figure,
    destroy() {
      observer.disconnect();
      chart?.destroy();
    },
  };
}

/** "Reports per day over 30 days: 42 in all; most on 2026-12-01 (9)." */
function describe(days, series, label) {
  const parts = series.map((s) => {
    const values = days.map((d) => s.value(d));
    const total = values.reduce((a, b) => a + b, 0);
    const peak = values.indexOf(Math.max(...values));
    const most = total > 0 ? `; most on ${days[peak].date} (${values[peak]})` : '';
    return `${s.label} ${total}${most}`;
  });
  return `${label ?? 'Per day'} over ${days.length} days: ${parts.join(', ')}.`;
}

export const priorityColor = (p) => PRIORITY_COLORS[p];
