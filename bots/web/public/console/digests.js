import { renderMarkdown } from '/markdown.js';
import { dateTime, h, pageHeader, userText } from './dom.js';
import { slackPreview } from './slack-preview.js';

/** Past digests by date; one digest as Slack shows it and as its Markdown reads. */

const PAGE = 20;

export async function render(root, ctx, id) {
  if (id) return one(root, ctx, id);
  const offset = Number(ctx.query.get('offset') ?? 0) || 0;
  const page = await ctx.api(`/digests?limit=${PAGE}&offset=${offset}`);
  if (!ctx.current()) return;
  const list =
    page.digests.length === 0
      ? h(
          'div',
          { class: 'empty-state' },
          h('p', {}, 'No digest yet.'),
          h(
            'p',
            { class: 'hint' },
            'A digest is stored each time the schedule runs (DIGEST_CRON, 09:00 by default), and posted to Slack when SLACK_DIGEST_CHANNEL is set. ',
            h('code', {}, 'npm run digest'),
            ' prints one at any time.',
          ),
        )
      : h(
          'table',
          { class: 'data-table', 'aria-labelledby': 'page-title' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Digest', 'Window', 'Problems', 'Top problem'].map((l) =>
                h('th', { scope: 'col' }, l),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            page.digests.map((d) =>
              h(
                'tr',
                {},
                h(
                  'td',
                  { 'data-label': 'Digest' },
                  h('a', { href: `#/digests/${d.id}` }, dateTime(d.generatedAt)),
                ),
                h('td', { 'data-label': 'Window' }, `${dateTime(d.since)} → ${dateTime(d.until)}`),
                h(
                  'td',
                  { class: 'num', 'data-label': 'Problems' },
                  `${d.entries.length} of ${d.activeClusters}`,
                ),
                h(
                  'td',
                  { 'data-label': 'Top problem' },
                  d.entries[0] ? userText('span', d.entries[0].title) : '—',
                ),
              ),
            ),
          ),
        );
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages of digests' },
    h(
      'a',
      {
        class: 'button',
        href: `#/digests?offset=${Math.max(0, offset - PAGE)}`,
        hidden: offset === 0,
      },
      'Newer',
    ),
    h(
      'a',
      {
        class: 'button',
        href: `#/digests?offset=${offset + PAGE}`,
        hidden: offset + PAGE >= page.total,
      },
      'Older',
    ),
  );
  root.replaceChildren(
    pageHeader('Digests', h('p', { class: 'page-summary' }, `${page.total} stored`)),
    list,
    pager,
  );
  ctx.onLive((type) => {
    if (type === 'digest.created') ctx.go('#/digests');
  });
}

async function one(root, ctx, id) {
  const [json, slack, markdown] = await Promise.all([
    ctx.api(`/digests/${id}`),
    ctx.api(`/digests/${id}?format=slack`),
    ctx.api(`/digests/${id}?format=md`),
  ]);
  if (!ctx.current()) return;
  const rendered = h('div', { class: 'digest-render markdown' });
  // renderMarkdown escapes the text first: a title that is HTML shows as text.
  rendered.innerHTML = renderMarkdown(markdown, { breaks: false });
  root.replaceChildren(
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/digests' }, '← Digests')),
    pageHeader(`Digest of ${dateTime(json.digest.generatedAt)}`),
    h(
      'section',
      { 'aria-labelledby': 'slack-title' },
      h('h3', { id: 'slack-title' }, 'As posted in Slack'),
      slackPreview(slack.messages),
    ),
    h(
      'section',
      { 'aria-labelledby': 'md-title' },
      h('h3', { id: 'md-title' }, 'Markdown'),
      rendered,
      h(
        'details',
        {},
        h('summary', {}, 'Markdown source'),
        h('pre', { class: 'digest-render' }, markdown),
      ),
    ),
  );
}
