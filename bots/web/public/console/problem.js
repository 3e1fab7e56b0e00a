import { dailyChart } from './charts.js';
import {
  ago,
  badge,
  counted,
  dateTime,
  environmentLine,
  h,
  pageHeader,
  platformName,
  trendBadge,
  userText,
} from './dom.js';

/**
 * One problem in detail: its 30 days, its tickets with the similarity that put each there,
 * what happened to it and who did it, and the four actions (merge, split, rename, mark
 * fixed), each confirmed, after which the page shows the new state.
 */

const TICKETS = 100;

export async function render(root, ctx, id) {
  const [detail, timeline] = await Promise.all([
    ctx.api(`/clusters/${id}?limit=${TICKETS}`),
    ctx.api(`/clusters/${id}/timeline?days=30`),
  ]);
  if (!ctx.current()) return;
  const { cluster, tickets, ticketsTotal, audit } = detail;
  const open = cluster.status === 'open';
  const chosen = new Set();

  const chart = dailyChart(timeline.days, [{ label: 'Reports', value: (d) => d.reports }], {
    label: 'Reports per day',
  });
  ctx.onLeave(() => chart.destroy());

  const redraw = () => ctx.go(`#/problems/${cluster.id}`);
  const actions = open
    ? h(
        'div',
        { class: 'actions', role: 'group', 'aria-label': 'Actions on this problem' },
        h(
          'button',
          { type: 'button', class: 'button', onclick: () => merge(ctx, cluster) },
          'Merge into…',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            onclick: () => split(ctx, cluster, chosen, tickets, redraw),
          },
          'Split…',
        ),
        h(
          'button',
          { type: 'button', class: 'button', onclick: () => rename(ctx, cluster, redraw) },
          'Rename…',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'button primary',
            onclick: () => markFixed(ctx, cluster, redraw),
          },
          'Mark fixed…',
        ),
      )
    : h('p', { class: 'hint' }, statusLine(cluster));

  root.replaceChildren(
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/problems' }, '← Problems')),
    pageHeader(
      userText('span', cluster.title),
      badge('urgency', cluster.urgency),
      trendBadge(cluster.trend),
      badge('status', cluster.status),
    ),
    h('p', { class: 'problem-area' }, cluster.productArea ?? 'No product area'),
    facts(cluster),
    actions,
    h(
      'section',
      { 'aria-labelledby': 'chart-title' },
      h('h3', { id: 'chart-title' }, 'Reports per day, last 30 days'),
      chart.el,
    ),
    h(
      'section',
      { 'aria-labelledby': 'tickets-title' },
      h('h3', { id: 'tickets-title' }, `Tickets (${ticketsTotal})`),
      open
        ? h(
            'p',
            { class: 'hint' },
            'Tick tickets, then Split to move them into a problem of their own.',
          )
        : null,
      ticketTable(tickets, open ? chosen : null),
      ticketsTotal > tickets.length
        ? h('p', { class: 'hint' }, `The ${tickets.length} newest are shown; all are in Tickets.`)
        : null,
    ),
    h(
      'section',
      { 'aria-labelledby': 'audit-title' },
      h('h3', { id: 'audit-title' }, 'History'),
      history(audit, tickets),
    ),
  );

  ctx.onChange(
    (type, data) => {
      const about = data.cluster?.id ?? data.ticket?.clusterId ?? data.clusterId;
      return type.startsWith('ticket.') || about === cluster.id;
    },
    redraw,
    500,
  );
}

function statusLine(c) {
  if (c.status === 'merged')
    return h(
      'span',
      {},
      'Merged into ',
      h('a', { href: `#/problems/${c.mergedInto}` }, `problem #${c.mergedInto}`),
      '.',
    );
  return `Fixed ${c.resolvedAt ? dateTime(c.resolvedAt) : ''}.`;
}

function facts(c) {
  const env = c.environment ?? {};
  const rows = [
    ['Reports', `${c.reports} (${c.reportsLast24h} in the last 24 h)`],
    ['Unique reporters', String(c.uniqueReporters)],
    ['Platforms', c.platforms.map(platformName).join(', ') || '—'],
    ['First seen', dateTime(c.firstSeen)],
    ['Last seen', dateTime(c.lastSeen)],
    ['App versions', counted(env.appVersions)],
    ['Since version', c.sinceVersion ?? '—'],
    ['Systems', counted(env.os)],
    ['Devices', counted(env.devices)],
    [
      'Priorities',
      Object.entries(c.priorityMix)
        .filter(([, n]) => n > 0)
        .map(([p, n]) => `${p} ${n}`)
        .join(', ') || '—',
    ],
  ];
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))),
  );
}

function ticketTable(tickets, chosen) {
  const rows = tickets.map((t) =>
    h(
      'tr',
      { 'data-ticket-id': t.id },
      chosen
        ? h(
            'td',
            { 'data-label': 'Split' },
            h('input', {
              type: 'checkbox',
              'aria-label': `Choose ${t.ref} to split off`,
              onchange: (e) => (e.target.checked ? chosen.add(t.id) : chosen.delete(t.id)),
            }),
          )
        : null,
      h('td', { 'data-label': 'Ticket' }, h('a', { href: `#/tickets/${t.ref}` }, t.ref)),
      h(
        'td',
        {
          class: 'num',
          'data-label': 'Similarity',
          title: 'Similarity to the problem when the ticket joined it',
        },
        t.similarity === null ? '—' : t.similarity.toFixed(2),
      ),
      h('td', { class: 'quote', 'data-label': 'Quote' }, userText('q', t.summary)),
      h('td', { 'data-label': 'Platform' }, platformName(t.platform)),
      h('td', { 'data-label': 'Environment' }, environmentLine(t.environment)),
      h('td', { 'data-label': 'Status' }, badge('status', t.status)),
      h('td', { 'data-label': 'Reported' }, ago(t.createdAt)),
    ),
  );
  const heads = [
    chosen ? 'Split' : null,
    'Ticket',
    'Similarity',
    'Quote',
    'Platform',
    'Environment',
    'Status',
    'Reported',
  ];
  return h(
    'table',
    { class: 'data-table tickets-table', 'aria-labelledby': 'tickets-title' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        heads.filter(Boolean).map((label) => h('th', { scope: 'col' }, label)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

const ACTIONS = {
  created: (d) =>
    d.splitFrom ? `Created by a split from #${d.splitFrom}` : 'Created by its first ticket',
  merged: (d) =>
    d.into
      ? `Merged into #${d.into} (${d.tickets} tickets)`
      : `Absorbed #${(d.sources ?? []).join(', #')} (${d.tickets} tickets)`,
  split: (d) =>
    d.into
      ? `${d.ticketIds.length} tickets split off into #${d.into}`
      : `Split off from #${d.from}`,
  reassigned: (d) =>
    `${d.ticketIds?.length ?? 1} ticket(s) moved ${d.to ? `to #${d.to}` : `from #${d.from}`}`,
  renamed: (d) => `Renamed from “${d.from}” to “${d.to}”`,
  resolved: (d) =>
    `Marked fixed${d.resolution ? `: ${d.resolution}` : ''}${d.notifyReporters ? ', reporters told' : ''}`,
  escalated: (d) => `Urgency rose from ${d.from} to ${d.to}`,
};

/** The audit log, with each shown ticket's joining, newest first. */
function history(audit, tickets) {
  const entries = [
    ...audit.map((a) => ({
      at: a.createdAt,
      text: (ACTIONS[a.action] ?? (() => a.action))(a.detail),
      who: a.actor ?? 'system',
      why: a.detail?.reason,
    })),
    ...tickets.map((t) => ({
      at: t.createdAt,
      text: `${t.ref} joined${t.similarity === null ? '' : ` (similarity ${t.similarity.toFixed(2)})`}`,
      who: 'system',
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return h(
    'ol',
    { class: 'history' },
    entries.map((e) =>
      h(
        'li',
        {},
        ago(e.at),
        ' · ',
        userText('span', e.text),
        h('span', { class: 'who' }, ` — ${e.who}${e.why ? `, ${e.why}` : ''}`),
      ),
    ),
  );
}

// ---- actions ----

async function merge(ctx, cluster) {
  const results = h('div', {
    class: 'choices',
    role: 'radiogroup',
    'aria-label': 'Problems to merge into',
  });
  const search = h('input', {
    id: 'merge-search',
    type: 'search',
    placeholder: 'Words of its title',
    autocomplete: 'off',
  });
  let seq = 0;
  const find = async () => {
    const mine = ++seq;
    const q = search.value.trim();
    const page = await ctx.api(`/clusters?limit=10${q ? `&q=${encodeURIComponent(q)}` : ''}`);
    if (mine !== seq) return;
    const others = page.clusters.filter((c) => c.id !== cluster.id);
    results.replaceChildren(
      ...(others.length
        ? others.map((c) =>
            h(
              'label',
              { class: 'choice' },
              h('input', { type: 'radio', name: 'target', value: c.id, required: true }),
              userText('span', c.title),
              h('span', { class: 'hint' }, ` #${c.id} · ${c.reports} reports`),
            ),
          )
        : [h('p', { class: 'hint' }, 'No other open problem matches.')]),
    );
  };
  search.addEventListener('input', () => void find().catch(() => undefined));
  await find();
  const target = await ctx.confirm({
    title: 'Merge into another problem',
    body: [
      h(
        'p',
        {},
        'Every ticket of this problem moves to the one you choose; this one is closed as merged.',
      ),
      h('label', { for: 'merge-search' }, 'Find the problem'),
      search,
      results,
    ],
    ok: 'Merge',
    action: async (form) => {
      const chosen = Number(new FormData(form).get('target'));
      if (!chosen) throw new Error('Choose the problem to merge into.');
      await ctx.api(`/clusters/${chosen}/merge`, {
        method: 'POST',
        body: { sourceIds: [cluster.id], actor: 'console' },
      });
      return chosen;
    },
  });
  if (target) ctx.go(`#/problems/${target}`);
}

async function split(ctx, cluster, chosen, tickets, redraw) {
  const refs = tickets.filter((t) => chosen.has(t.id)).map((t) => t.ref);
  const title = h('input', {
    id: 'split-title',
    name: 'title',
    maxlength: 120,
    placeholder: 'What these tickets report',
  });
  const created = await ctx.confirm({
    title: 'Split into a new problem',
    body:
      refs.length === 0
        ? [h('p', {}, 'Tick the tickets to move first, in the Tickets table.')]
        : [
            h('p', {}, `${refs.join(', ')} will move into a new problem.`),
            h('label', { for: 'split-title' }, 'Title of the new problem (optional)'),
            title,
          ],
    ok: 'Split',
    action: async () => {
      if (refs.length === 0) throw new Error('Tick at least one ticket to split off.');
      const { newCluster } = await ctx.api(`/clusters/${cluster.id}/split`, {
        method: 'POST',
        body: { ticketIds: [...chosen], actor: 'console' },
      });
      const name = title.value.trim();
      if (name) {
        await ctx.api(`/clusters/${newCluster.id}/rename`, {
          method: 'POST',
          body: { title: name, actor: 'console' },
        });
      }
      return newCluster;
    },
  });
  if (created) redraw();
}

async function rename(ctx, cluster, redraw) {
  const title = h('input', {
    id: 'rename-title',
    name: 'title',
    required: true,
    maxlength: 120,
    value: cluster.title,
  });
  const done = await ctx.confirm({
    title: 'Rename this problem',
    body: [
      h('label', { for: 'rename-title' }, 'Title'),
      title,
      h('p', { class: 'hint' }, 'A title you give is kept: the machine no longer rewrites it.'),
    ],
    ok: 'Rename',
    action: () =>
      ctx.api(`/clusters/${cluster.id}/rename`, {
        method: 'POST',
        body: { title: title.value, actor: 'console' },
      }),
  });
  if (done) redraw();
}

async function markFixed(ctx, cluster, redraw) {
  const note = h('input', {
    id: 'fix-note',
    name: 'resolution',
    maxlength: 500,
    placeholder: 'e.g. Fixed in 3.2.2',
  });
  const notify = h('input', { id: 'fix-notify', type: 'checkbox', name: 'notify', checked: true });
  const done = await ctx.confirm({
    title: 'Mark this problem fixed',
    body: [
      h('label', { for: 'fix-note' }, 'What was done (shown to reporters)'),
      note,
      h(
        'label',
        { class: 'check', for: 'fix-notify' },
        notify,
        ` Tell all ${cluster.uniqueReporters} reporters, each on their own platform`,
      ),
    ],
    ok: 'Mark fixed',
    action: () =>
      ctx.api(`/clusters/${cluster.id}/resolve`, {
        method: 'POST',
        body: {
          notify: notify.checked,
          actor: 'console',
          ...(note.value.trim() ? { resolution: note.value.trim() } : {}),
        },
      }),
  });
  if (done) redraw();
}
