import { h } from './dom.js';

/**
 * Slack messages (Block Kit) drawn as Slack shows them, closely enough to read a digest the
 * way the channel sees it. Only the blocks Switchboard posts are drawn: header, section
 * (with an accessory button, shown inert), context, divider and actions (buttons, inert). mrkdwn becomes DOM nodes,
 * never HTML.
 */
export function slackPreview(messages) {
  return h(
    'div',
    { class: 'slack-preview' },
    messages.map((m) => h('div', { class: 'slack-message' }, (m.blocks ?? []).map(block))),
  );
}

function block(b) {
  switch (b.type) {
    case 'header':
      return h('p', { class: 'slack-header' }, b.text?.text ?? '');
    case 'section':
      return h(
        'div',
        { class: 'slack-section' },
        h('div', {}, text(b.text)),
        b.accessory?.type === 'button'
          ? h(
              'span',
              { class: 'slack-button', title: 'A button in Slack' },
              b.accessory.text?.text ?? '',
            )
          : null,
      );
    case 'context':
      return h('div', { class: 'slack-context' }, (b.elements ?? []).map(text));
    case 'divider':
      return h('hr');
    case 'actions':
      return h(
        'div',
        { class: 'slack-actions' },
        (b.elements ?? [])
          .filter((e) => e.type === 'button')
          .map((e) =>
            h('span', { class: 'slack-button', title: 'A button in Slack' }, e.text?.text ?? ''),
          ),
      );
    default:
      return null;
  }
}

function text(t) {
  if (!t) return null;
  if (t.type === 'plain_text') return h('span', {}, t.text);
  return mrkdwn(t.text ?? '');
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
const decode = (s) => s.replace(/&(amp|lt|gt);/g, (e) => ENTITIES[e]);

/** Lines; `>` quotes; *bold*, _italic_, ~strike~, `code`; <url|label> links, <@user>. */
function mrkdwn(source) {
  return h(
    'div',
    { class: 'mrkdwn' },
    source.split('\n').map((line) => {
      const quoted = line.startsWith('>') || line.startsWith('&gt;');
      const body = quoted ? line.replace(/^(>|&gt;)\s?/, '') : line;
      return h(quoted ? 'blockquote' : 'p', { dir: 'auto' }, inline(body));
    }),
  );
}

const TOKEN = /(<[^>]+>|\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~|`[^`\n]+`)/g;

function inline(line) {
  return line.split(TOKEN).map((part, i) => {
    if (i % 2 === 0) return decode(part);
    const inner = part.slice(1, -1);
    switch (part[0]) {
      case '*':
        return h('strong', {}, decode(inner));
      case '_':
        return h('em', {}, decode(inner));
      case '~':
        return h('s', {}, decode(inner));
      case '`':
        return h('code', {}, decode(inner));
      default: {
        if (inner.startsWith('@'))
          return h('span', { class: 'slack-mention' }, `@${inner.slice(1)}`);
        const [url, label] = inner.split('|');
        const safe = /^https?:\/\//.test(url) ? url : undefined;
        return safe
          ? h(
              'a',
              { href: safe, rel: 'noreferrer noopener', target: '_blank' },
              decode(label ?? url),
            )
          : decode(label ?? url);
      }
    }
  });
}
