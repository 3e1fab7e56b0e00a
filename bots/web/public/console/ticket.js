import { renderMarkdown } from '/markdown.js';
import {
  ago,
  badge,
  dateTime,
  environmentLine,
  h,
  pageHeader,
  platformName,
  userText,
} from './dom.js';
import { PRIORITIES, statusBadge } from './tickets.js';

/**
 * One ticket: what the customer said (redacted), their setup, the problem it is part of,
 * its webhook deliveries and its history; its status moves open → in progress → closed (or
 * back), with a note, and its priority and tags can be changed. Every change is audited and
 * sent as `ticket.updated`.
 */

/** The moves each status allows, as buttons. */
const MOVES = {
  open: [
    ['in_progress', 'Start work'],
    ['closed', 'Close'],
  ],
  in_progress: [
    ['closed', 'Close'],
    ['open', 'Back to open'],
  ],
  closed: [['open', 'Reopen']],
  resolved: [['open', 'Reopen']],
};

export async function render(root, ctx, ref) {
  const detail = await ctx.api(`/tickets/${ref}`);
  if (!ctx.current()) return;
  const { ticket } = detail;
  const redraw = () => ctx.go(`#/tickets/${ticket.ref}`);

  const change = async (patch, title, ok) => {
    const note = h('textarea', { id: 'change-note', name: 'note', rows: 3, maxlength: 1000 });
    const done = await ctx.confirm({
      title,
      body: [h('label', { for: 'change-note' }, 'Note (optional)'), note],
      ok,
      action: () => {
        const text = note.value.trim();
        return ctx.api(`/tickets/${ticket.ref}`, {
          method: 'PATCH',
          body: { ...patch, ...(text ? { note: text } : {}), actor: 'console' },
        });
      },
    });
    if (done) redraw();
  };

  const priority = h(
    'select',
    { id: 'ticket-priority' },
    PRIORITIES.map(([v, label]) =>
      h('option', { value: v, selected: v === ticket.priority }, label),
    ),
  );
  const tags = h('input', {
    id: 'ticket-tags',
    value: (ticket.tags ?? []).join(', '),
    placeholder: 'crash, ios',
  });
  const edit = h(
    'form',
    {
      class: 'filters',
      'aria-label': 'Priority and tags',
      onsubmit: (event) => {
        event.preventDefault();
        const patch = {};
        if (priority.value !== ticket.priority) patch.priority = priority.value;
        const newTags = tags.value
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        if (newTags.join(',') !== (ticket.tags ?? []).join(',')) patch.tags = newTags;
        if (Object.keys(patch).length === 0) return;
        void change(patch, 'Save priority and tags', 'Save');
      },
    },
    h('label', { class: 'field', for: 'ticket-priority' }, h('span', {}, 'Priority'), priority),
    h(
      'label',
      { class: 'field', for: 'ticket-tags' },
      h('span', {}, 'Tags (comma-separated)'),
      tags,
    ),
    h('button', { type: 'submit', class: 'button' }, 'Save'),
  );

  const moves = (MOVES[ticket.status] ?? []).map(([to, label]) =>
    h(
      'button',
      {
        type: 'button',
        class: 'button',
        'data-move': to,
        onclick: () => change({ status: to }, `${label}: ${ticket.ref}`, label),
      },
      label,
    ),
  );

  root.replaceChildren(
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/tickets' }, '← Tickets')),
    pageHeader(
      `${ticket.ref}`,
      statusBadge(ticket.status),
      badge('priority', ticket.priority),
      badge('category', ticket.category),
    ),
    userText('p', ticket.summary, { class: 'ticket-summary' }),
    h(
      'dl',
      { class: 'facts' },
      fact(
        'Problem',
        detail.cluster
          ? h(
              'a',
              { href: `#/problems/${detail.cluster.id}` },
              userText('span', detail.cluster.title),
            )
          : '—',
      ),
      fact('Product area', ticket.productArea ?? '—'),
      fact('Platform', platformName(ticket.platform)),
      fact('Reporter', userText('span', ticket.reporter?.name ?? '—')),
      fact('Environment', environmentLine(ticket.environment)),
      fact(
        'Similarity',
        ticket.similarity === null || ticket.similarity === undefined
          ? '—'
          : ticket.similarity.toFixed(2),
      ),
      fact('Tags', (ticket.tags ?? []).join(', ') || '—'),
      fact('Created', dateTime(ticket.createdAt)),
    ),
    h('div', { class: 'actions', role: 'group', 'aria-label': 'Change the status' }, moves),
    edit,
    section('Conversation', transcript(detail.transcript ?? [])),
    section('Webhook deliveries', deliveries(detail.deliveries ?? [])),
    section('History', history(detail.history ?? [])),
  );

  ctx.onLive((type, data) => {
    if (type === 'ticket.updated' && data.ticket?.ref === ticket.ref) redraw();
  });
}

const fact = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value));

function section(title, body) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return h('section', { 'aria-labelledby': id }, h('h3', { id }, title), body);
}

function transcript(messages) {
  if (messages.length === 0)
    return h('p', { class: 'hint' }, 'The conversation is no longer kept.');
  return h(
    'div',
    { class: 'transcript conversation' },
    messages.map((m) =>
      h(
        'article',
        { class: `message ${m.role}` },
        h(
          'div',
          { class: 'meta' },
          h('span', { class: 'author' }, m.author ?? m.role),
          m.createdAt ? ago(m.createdAt) : null,
        ),
        bubble(m),
      ),
    ),
  );
}

/** A message as the chat shows it: the bot's Markdown drawn, a customer's words as typed. */
function bubble(m) {
  const el = h('div', { class: 'bubble', dir: 'auto' });
  // renderMarkdown escapes the text before it adds any markup of its own.
  el.innerHTML = renderMarkdown(m.text ?? '', { breaks: m.role !== 'bot' });
  return el;
}

function deliveries(list) {
  if (list.length === 0)
    return h('p', { class: 'hint' }, 'No webhook endpoint is configured, or nothing was sent yet.');
  return h(
    'table',
    { class: 'data-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Event', 'Endpoint', 'Status', 'Attempts', 'Last answer', 'Delivered'].map((l) =>
          h('th', { scope: 'col' }, l),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      list.map((d) =>
        h(
          'tr',
          {},
          h('td', { 'data-label': 'Event' }, d.eventType ?? d.type ?? '—'),
          h('td', { 'data-label': 'Endpoint' }, d.endpoint ?? d.url ?? '—'),
          h('td', { 'data-label': 'Status' }, badge('delivery', d.status)),
          h('td', { class: 'num', 'data-label': 'Attempts' }, String(d.attempts ?? 0)),
          h(
            'td',
            { 'data-label': 'Last answer' },
            d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '—'),
          ),
          h('td', { 'data-label': 'Delivered' }, d.deliveredAt ? ago(d.deliveredAt) : '—'),
        ),
      ),
    ),
  );
}

function history(rows) {
  if (rows.length === 0) return h('p', { class: 'hint' }, 'No change yet.');
  return h(
    'ol',
    { class: 'history' },
    rows.map((r) => {
      const what =
        r.detail && 'from' in r.detail
          ? `${r.action}: ${fmt(r.detail.from)} → ${fmt(r.detail.to)}`
          : r.action;
      const note = r.detail?.note ?? r.note;
      return h(
        'li',
        {},
        ago(r.createdAt),
        ' · ',
        what,
        h('span', { class: 'who' }, ` — ${r.actor ?? 'system'}`),
        note ? userText('p', note, { class: 'hint' }) : null,
      );
    }),
  );
}

const fmt = (v) => (Array.isArray(v) ? v.join(', ') || '(none)' : String(v ?? '—'));
