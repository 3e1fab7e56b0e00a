import { dailyChart, priorityColor } from './charts.js';
import { h, pageHeader, percent, platformName, userText } from './dom.js';

/**
 * The overview: where tickets come from and how they grow (per day by priority, platform
 * and product area), what the bot handles alone (the deflection rate), how fast people
 * claim handoffs, and the product areas with the most impact.
 */

const DAYS = 30;
const AREAS_CHARTED = 5;

export async function render(root, ctx) {
  const [overview, daily, stats, areas] = await Promise.all([
    ctx.api('/overview'),
    ctx.api(`/overview/daily?days=${DAYS}`),
    ctx.api(`/stats?days=${DAYS}`),
    ctx.api('/clusters/areas'),
  ]);
  if (!ctx.current()) return;
  const days = daily.days;
  const totals = stats.totals;
  const handoffs = totals.handoffs ?? {};

  const charts = [];
  const chart = (title, series, label) => {
    const c = dailyChart(days, series, { label });
    charts.push(c);
    return h('section', { class: 'chart-block' }, h('h3', {}, title), c.el);
  };
  ctx.onLeave(() => {
    for (const c of charts) c.destroy();
  });

  const priorities = Object.keys(overview.byPriority);
  const platforms = Object.keys(overview.byPlatform).filter((p) =>
    days.some((d) => d.byPlatform[p] > 0),
  );
  const areaTotals = new Map();
  for (const d of days)
    for (const [a, n] of Object.entries(d.byProductArea))
      areaTotals.set(a, (areaTotals.get(a) ?? 0) + n);
  const topAreas = [...areaTotals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, AREAS_CHARTED)
    .map(([a]) => a);

  const outcomeChart = dailyChart(
    stats.days,
    [
      { label: 'Bot alone', value: (d) => d.botResolved, color: '#0f7a55' },
      { label: 'To a person', value: (d) => d.handedOff, color: '#c2410c' },
      { label: 'Became tickets', value: (d) => d.ticketed, color: '#2451c2' },
    ],
    { label: 'Conversations per day by outcome' },
  );
  charts.push(outcomeChart);

  root.replaceChildren(
    pageHeader('Overview', h('p', { class: 'page-summary' }, `The last ${DAYS} days`)),
    h(
      'div',
      { class: 'tiles' },
      tile('Tickets', overview.total, `${overview.byStatus.open ?? 0} open`),
      tile('Conversations', totals.conversations, `in ${DAYS} days`),
      tile(
        'Deflection',
        percent(totals.deflectionRate),
        `${totals.botResolved} resolved by the bot alone`,
      ),
      tile('To a person', totals.handedOff, `${handoffs.claimed ?? 0} claimed`),
      tile('Became tickets', totals.ticketed, 'conversations'),
      tile(
        'Time to claim',
        duration(handoffs.claimMedianMs),
        `median; 90th percentile ${duration(handoffs.claimP90Ms)}`,
      ),
      tile('SLA breaches', handoffs.breaches ?? 0, 'handoffs claimed late or not yet'),
      tile(
        'CSAT',
        percent(totals.csat?.satisfiedRate),
        `rated 4 or 5, of ${totals.csat?.rated ?? 0} ratings (mean ${totals.csat?.average ?? '—'})`,
      ),
      tile(
        'Drafted replies',
        totals.suggestions?.shown ?? 0,
        `${percent(totals.suggestions?.sentRate)} sent as drafted, ${percent(totals.suggestions?.editedRate)} edited, ${percent(totals.suggestions?.dismissedRate)} dismissed`,
      ),
    ),
    h(
      'div',
      { class: 'charts' },
      h(
        'section',
        { class: 'chart-block' },
        h('h3', {}, 'Conversations by outcome'),
        outcomeChart.el,
      ),
      chart(
        'Tickets per day by priority',
        priorities.map((p) => ({
          label: p,
          value: (d) => d.byPriority[p] ?? 0,
          color: priorityColor(p),
        })),
        'Tickets per day by priority',
      ),
      chart(
        'Tickets per day by platform',
        (platforms.length ? platforms : ['web']).map((p) => ({
          label: platformName(p),
          value: (d) => d.byPlatform[p] ?? 0,
        })),
        'Tickets per day by platform',
      ),
      chart(
        'Tickets per day by product area',
        (topAreas.length ? topAreas : ['—']).map((a) => ({
          label: a,
          value: (d) => d.byProductArea[a] ?? 0,
        })),
        'Tickets per day by product area (the busiest five)',
      ),
    ),
    csatTable(stats.csatByAgent ?? []),
    h(
      'section',
      { 'aria-labelledby': 'areas-title' },
      h('h3', { id: 'areas-title' }, 'Product areas by impact'),
      areasTable(areas.areas.slice(0, 10)),
    ),
  );

  ctx.onChange(
    (type) => type.startsWith('ticket.') || type.startsWith('handoff.'),
    () => ctx.go('#/overview'),
    2000,
  );
}

function tile(label, value, note) {
  return h(
    'div',
    { class: 'tile' },
    h('span', { class: 'label' }, label),
    h('span', { class: 'value' }, String(value ?? '—')),
    h('span', { class: 'hint' }, note),
  );
}

function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** CSAT per agent, and for the conversations the bot resolved alone. */
function csatTable(rows) {
  if (rows.length === 0) return null;
  return h(
    'section',
    { 'aria-labelledby': 'csat-title' },
    h('h3', { id: 'csat-title' }, 'Ratings by who resolved'),
    h(
      'table',
      { class: 'data-table', 'aria-labelledby': 'csat-title' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Resolved by', 'Ratings', 'Mean', 'Rated 4 or 5'].map((l) =>
            h('th', { scope: 'col' }, l),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            h(
              'td',
              { 'data-label': 'Resolved by' },
              r.agent ? userText('span', r.agent.name) : 'The bot alone',
            ),
            h('td', { class: 'num', 'data-label': 'Ratings' }, String(r.rated)),
            h(
              'td',
              { class: 'num', 'data-label': 'Mean' },
              r.average === null ? '—' : r.average.toFixed(2),
            ),
            h('td', { class: 'num', 'data-label': 'Rated 4 or 5' }, percent(r.satisfiedRate)),
          ),
        ),
      ),
    ),
  );
}

function areasTable(areas) {
  if (areas.length === 0)
    return h('p', { class: 'hint' }, 'No open problem has a product area yet.');
  return h(
    'table',
    { class: 'data-table', 'aria-labelledby': 'areas-title' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Product area', 'Open problems', 'Reports', 'Impact'].map((l) =>
          h('th', { scope: 'col' }, l),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      areas.map((a) =>
        h(
          'tr',
          {},
          h(
            'td',
            { 'data-label': 'Product area' },
            h(
              'a',
              { href: `#/problems?productArea=${encodeURIComponent(a.productArea)}` },
              a.productArea,
            ),
          ),
          h('td', { class: 'num', 'data-label': 'Open problems' }, String(a.clusters)),
          h('td', { class: 'num', 'data-label': 'Reports' }, String(a.reports)),
          h('td', { class: 'num', 'data-label': 'Impact' }, a.impact.toFixed(1)),
        ),
      ),
    ),
  );
}
