import { sparkline } from './charts.js';
import {
  ago,
  badge,
  counted,
  errorBox,
  h,
  input,
  pageHeader,
  platformName,
  select,
  trendBadge,
  userText,
} from './dom.js';

/**
 * Problems, ranked: the open clusters by impact, with their evidence (reports, reporters,
 * platforms, versions, 14 days of reports), filtered and searched; a new ticket redraws the
 * list where it stands.
 */

const PAGE = 20;
const STATUSES = [
  ['open', 'Open'],
  ['resolved', 'Fixed'],
  ['merged', 'Merged'],
];
const URGENCIES = [
  ['', 'Any urgency'],
  ['critical', 'Critical'],
  ['urgent', 'Urgent'],
  ['normal', 'Normal'],
];
const PLATFORMS = [
  ['', 'Any platform'],
  ['web', 'Web chat'],
  ['slack', 'Slack'],
  ['discord', 'Discord'],
  ['telegram', 'Telegram'],
];
/** The live events that can change the ranked list. */
const CHANGES = new Set([
  'ticket.created',
  'ticket.updated',
  'cluster.escalated',
  'cluster.resolved',
]);

export async function render(root, ctx) {
  const filter = {
    status: ctx.query.get('status') ?? 'open',
    productArea: ctx.query.get('productArea') ?? '',
    urgency: ctx.query.get('urgency') ?? '',
    platform: ctx.query.get('platform') ?? '',
    q: ctx.query.get('q') ?? '',
    offset: Number(ctx.query.get('offset') ?? 0) || 0,
  };
  const { areas } = await ctx.api('/clusters/areas');
  const summary = h('p', { class: 'page-summary', role: 'status' });
  const list = h('div', { class: 'problems' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of problems' });
  let charts = [];
  ctx.onLeave(() => {
    for (const c of charts) c.destroy();
  });

  const refilter = (key) => (event) => {
    filter[key] = event.target.value;
    filter.offset = 0;
    void load();
  };
  let typing;
  const search = input('Search', 'q', filter.q, {
    type: 'search',
    placeholder: 'Words of a title or area',
    oninput: (event) => {
      clearTimeout(typing);
      typing = setTimeout(() => refilter('q')(event), 250);
    },
  });
  const filters = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Filter problems',
      onsubmit: (e) => e.preventDefault(),
    },
    select('Status', 'status', STATUSES, filter.status, refilter('status')),
    select(
      'Product area',
      'productArea',
      [['', 'Any area'], ...areas.map((a) => [a.productArea, a.productArea])],
      filter.productArea,
      refilter('productArea'),
    ),
    select('Urgency', 'urgency', URGENCIES, filter.urgency, refilter('urgency')),
    select('Platform', 'platform', PLATFORMS, filter.platform, refilter('platform')),
    search,
  );
  root.replaceChildren(pageHeader('Problems', summary), filters, list, pager);

  let loading = Promise.resolve();
  async function load() {
    const params = new URLSearchParams({ limit: String(PAGE) });
    for (const [key, value] of Object.entries(filter))
      if (value !== '' && value !== 0) params.set(key, String(value));
    ctx.setQuery(new URLSearchParams([...params].filter(([k]) => k !== 'limit')));
    let page;
    try {
      page = await ctx.api(`/clusters?${params}`);
    } catch (error) {
      list.replaceChildren(errorBox(error.message));
      return;
    }
    if (!ctx.current()) return;
    for (const c of charts) c.destroy();
    charts = [];
    summary.textContent =
      page.total === 0
        ? 'No problems match.'
        : `${page.total} ${page.total === 1 ? 'problem' : 'problems'}, most impact first`;
    list.replaceChildren(
      page.clusters.length ? table(page.clusters, filter.offset) : emptyState(filter),
    );
    pager.replaceChildren(...pagerButtons(page.total));
  }

  function table(clusters, offset) {
    const rows = clusters.map((c, i) => {
      const spark = sparkline(c.daily ?? [], `Reports per day of “${c.title}”`);
      charts.push(spark);
      return h(
        'tr',
        { 'data-cluster-id': c.id },
        h('td', { class: 'rank', 'data-label': 'Rank' }, String(offset + i + 1)),
        h(
          'td',
          { class: 'problem-title', 'data-label': 'Problem' },
          h('a', { href: `#/problems/${c.id}` }, userText('span', c.title)),
          h('span', { class: 'problem-area' }, c.productArea ?? 'No product area'),
        ),
        h('td', { 'data-label': 'Urgency' }, badge('urgency', c.urgency), ' ', trendBadge(c.trend)),
        h(
          'td',
          { class: 'num', 'data-label': 'Reports' },
          h('span', { 'data-field': 'reports' }, String(c.reports)),
        ),
        h('td', { class: 'num', 'data-label': 'Reporters' }, String(c.uniqueReporters)),
        h('td', { 'data-label': 'Platforms' }, c.platforms.map(platformName).join(', ') || '—'),
        h('td', { 'data-label': 'First seen' }, ago(c.firstSeen)),
        h('td', { 'data-label': 'Last seen' }, ago(c.lastSeen)),
        h('td', { 'data-label': 'Versions' }, counted(c.environment?.appVersions, 3)),
        h('td', { 'data-label': '14 days' }, spark.el),
      );
    });
    return h(
      'table',
      { class: 'data-table', 'aria-labelledby': 'page-title' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            '#',
            'Problem',
            'Urgency',
            'Reports',
            'Reporters',
            'Platforms',
            'First seen',
            'Last seen',
            'Versions',
            'Last 14 days',
          ].map((label) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h('tbody', {}, rows),
    );
  }

  function pagerButtons(total) {
    const to = (offset) => () => {
      filter.offset = offset;
      void load();
    };
    const shown = `${Math.min(total, filter.offset + 1)}–${Math.min(total, filter.offset + PAGE)} of ${total}`;
    return [
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          disabled: filter.offset === 0,
          onclick: to(Math.max(0, filter.offset - PAGE)),
        },
        'Previous',
      ),
      h('span', {}, shown),
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          disabled: filter.offset + PAGE >= total,
          onclick: to(filter.offset + PAGE),
        },
        'Next',
      ),
    ];
  }

  // New tickets redraw the list; a burst of them redraws it once.
  ctx.onChange(
    (type) => CHANGES.has(type),
    () => {
      loading = loading.then(load);
    },
  );
  loading = load();
  await loading;
}

function emptyState(filter) {
  const filtered = filter.productArea || filter.urgency || filter.platform || filter.q;
  return h(
    'div',
    { class: 'empty-state' },
    h('p', {}, filtered ? 'No problem matches these filters.' : 'No problems yet.'),
    filtered
      ? null
      : h(
          'p',
          { class: 'hint' },
          'Tickets appear here as customers report bugs. Try one in the web chat at ',
          h('a', { href: '/' }, '/'),
          ': “The app crashes every time I open settings, Android 14, app 3.2.1”.',
        ),
  );
}
