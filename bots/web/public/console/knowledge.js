import { ago, h, pageHeader } from './dom.js';

/**
 * The doc sections Switchboard answers from and files tickets under, with how many answers
 * and tickets each got, and a Reindex button that re-reads KNOWLEDGE_DIR (changed files
 * only).
 */

export async function render(root, ctx) {
  const knowledge = await ctx.api('/knowledge');
  if (!ctx.current()) return;
  const status = h('p', { class: 'page-summary', role: 'status' });
  const reindex = h(
    'button',
    {
      type: 'button',
      class: 'button primary',
      onclick: async () => {
        const result = await ctx.confirm({
          title: 'Reindex the knowledge',
          body: [
            h(
              'p',
              {},
              'Switchboard re-reads the docs folder; only the files that changed are indexed again.',
            ),
          ],
          ok: 'Reindex',
          action: () => ctx.api('/knowledge/reindex', { method: 'POST' }),
        });
        if (!result) return;
        await render(root, ctx);
        root.querySelector('[role="status"]').textContent = summary(result);
      },
    },
    'Reindex',
  );
  const sections = knowledge.sections ?? [];
  root.replaceChildren(
    pageHeader('Knowledge', status, reindex),
    h(
      'p',
      { class: 'hint' },
      `${sections.length} sections from ${(knowledge.files ?? []).length} files.`,
    ),
    sections.length === 0
      ? h(
          'div',
          { class: 'empty-state' },
          h('p', {}, 'No docs are indexed. Put Markdown files in KNOWLEDGE_DIR, then Reindex.'),
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
              ['Section', 'File', 'Answers', 'Tickets'].map((l) => h('th', { scope: 'col' }, l)),
            ),
          ),
          h(
            'tbody',
            {},
            sections.map((s) =>
              h(
                'tr',
                {},
                h('td', { 'data-label': 'Section' }, s.name),
                h('td', { 'data-label': 'File' }, s.file ?? '—'),
                h('td', { class: 'num', 'data-label': 'Answers' }, String(s.answers ?? 0)),
                h(
                  'td',
                  { class: 'num', 'data-label': 'Tickets' },
                  s.tickets
                    ? h(
                        'a',
                        { href: `#/tickets?productArea=${encodeURIComponent(s.name)}` },
                        String(s.tickets),
                      )
                    : '0',
                ),
              ),
            ),
          ),
        ),
    (knowledge.files ?? []).length
      ? h(
          'section',
          { 'aria-labelledby': 'files-title' },
          h('h3', { id: 'files-title' }, 'Files'),
          h(
            'ul',
            { class: 'history' },
            knowledge.files.map((f) => h('li', {}, f.path, ' · indexed ', ago(f.ingestedAt))),
          ),
        )
      : null,
  );
}

function summary(r) {
  const changed = r.changed?.length ?? 0;
  const removed = r.removed?.length ?? 0;
  if (changed === 0 && removed === 0)
    return `Nothing changed (${r.unchanged ?? 0} files as they were).`;
  return `Reindexed: ${changed} changed, ${removed} removed, ${r.unchanged ?? 0} unchanged.`;
}
