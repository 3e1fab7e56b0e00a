import {
  ago,
  badge,
  errorBox,
  h,
  input,
  pageHeader,
  platformName,
  select,
  userText,
} from './dom.js';

/** Tickets: filtered, searched and paged, newest first; a new ticket shows at once. */

const PAGE = 50;
const FILTERS = [
  'status',
  'priority',
  'category',
  'productArea',
  'clusterId',
  'platform',
  'from',
  'to',
  'q',
];
export const TICKET_STATUSES = [
  ['open', 'Open'],
  ['in_progress', 'In progress'],
  ['closed', 'Closed'],
  ['resolved', 'Fixed'],
];
export const PRIORITIES = [
  ['low', 'Low'],
  ['medium', 'Medium'],
  ['high', 'High'],
  ['critical', 'Critical'],
];

export async function render(root, ctx) {
  const filter = Object.fromEntries(FILTERS.map((k) => [k, ctx.query.get(k) ?? '']));
  let offset = Number(ctx.query.get('offset') ?? 0) || 0;
  const [overview, areas] = await Promise.all([ctx.api('/overview'), ctx.api('/clusters/areas')]);
  const categories = Object.keys(overview.byCategory).sort();
  const list = h('div', { class: 'tickets' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of tickets' });

  const change = (key) => (event) => {
    filter[key] = event.target.value.trim();
    offset = 0;
    void load();
  };
  let typing;
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Filter tickets',
      onsubmit: (e) => e.preventDefault(),
    },
    select(
      'Status',
      'status',
      [['', 'Any status'], ...TICKET_STATUSES],
      filter.status,
      change('status'),
    ),
    select(
      'Priority',
      'priority',
      [['', 'Any priority'], ...PRIORITIES],
      filter.priority,
      change('priority'),
    ),
    select(
      'Category',
      'category',
      [['', 'Any category'], ...categories.map((c) => [c, c])],
      filter.category,
      change('category'),
    ),
    select(
      'Product area',
      'productArea',
      [['', 'Any area'], ...areas.areas.map((a) => [a.productArea, a.productArea])],
      filter.productArea,
      change('productArea'),
    ),
    select(
      'Platform',
      'platform',
      [
        ['', 'Any platform'],
        ...['web', 'slack', 'discord', 'telegram'].map((p) => [p, platformName(p)]),
      ],
      filter.platform,
      change('platform'),
    ),
    input('Problem #', 'clusterId', filter.clusterId, {
      inputmode: 'numeric',
      pattern: '[0-9]*',
      size: 6,
      onchange: change('clusterId'),
    }),
    input('From', 'from', filter.from, { type: 'date', onchange: change('from') }),
    input('To', 'to', filter.to, { type: 'date', onchange: change('to') }),
    input('Search', 'q', filter.q, {
      type: 'search',
      placeholder: 'Words of the summary',
      oninput: (event) => {
        clearTimeout(typing);
        typing = setTimeout(() => change('q')(event), 250);
      },
    }),
  );
  root.replaceChildren(pageHeader('Tickets'), form, list, pager);

  async function load() {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
    // A date range means whole days: "to" includes the day it names.
    if (filter.to) params.set('to', `${filter.to}T23:59:59.999Z`);
    if (offset) params.set('offset', String(offset));
    const shown = new URLSearchParams(params);
    if (filter.to) shown.set('to', filter.to);
    ctx.setQuery(shown);
    params.set('limit', String(PAGE));
    let page;
    try {
      page = await ctx.api(`/tickets?${params}`);
    } catch (error) {
      list.replaceChildren(errorBox(error.message));
      return;
    }
    if (!ctx.current()) return;
    list.replaceChildren(
      page.tickets.length
        ? ticketTable(page.tickets)
        : h('div', { class: 'empty-state' }, h('p', {}, 'No ticket matches.')),
    );
    const go = (to) => () => {
      offset = to;
      void load();
    };
    pager.replaceChildren(
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          disabled: offset === 0,
          onclick: go(Math.max(0, offset - PAGE)),
        },
        'Previous',
      ),
      h('span', {}, page.tickets.length ? `${offset + 1}–${offset + page.tickets.length}` : ''),
      h(
        'button',
        { type: 'button', class: 'button', disabled: !page.hasMore, onclick: go(offset + PAGE) },
        'Next',
      ),
    );
  }

  ctx.onChange(
    (type) => type.startsWith('ticket.'),
    () => void load(),
  );
  await load();
}

function ticketTable(tickets) {
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
          'Ticket',
          'Summary',
          'Status',
          'Priority',
          'Category',
          'Product area',
          'Problem',
          'Platform',
          'Created',
        ].map((l) => h('th', { scope: 'col' }, l)),
      ),
    ),
    h(
      'tbody',
      {},
      tickets.map((t) =>
        h(
          'tr',
          { 'data-ref': t.ref },
          h('td', { 'data-label': 'Ticket' }, h('a', { href: `#/tickets/${t.ref}` }, t.ref)),
          h('td', { 'data-label': 'Summary' }, userText('span', t.summary)),
          h('td', { 'data-label': 'Status' }, statusBadge(t.status)),
          h('td', { 'data-label': 'Priority' }, badge('priority', t.priority)),
          h('td', { 'data-label': 'Category' }, t.category),
          h('td', { 'data-label': 'Product area' }, t.productArea ?? '—'),
          h(
            'td',
            { 'data-label': 'Problem' },
            t.clusterId ? h('a', { href: `#/problems/${t.clusterId}` }, `#${t.clusterId}`) : '—',
          ),
          h('td', { 'data-label': 'Platform' }, platformName(t.platform)),
          h('td', { 'data-label': 'Created' }, ago(t.createdAt)),
        ),
      ),
    ),
  );
}

const STATUS_LABELS = Object.fromEntries(TICKET_STATUSES);
export const statusBadge = (status) => badge('status', status, STATUS_LABELS[status] ?? status);
