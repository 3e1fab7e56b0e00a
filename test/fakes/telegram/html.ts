import type { MessageEntity } from 'grammy/types';

export type HtmlParseResult =
  | { ok: true; text: string; entities: MessageEntity[] }
  | { ok: false; error: string };

interface OpenTag {
  name: string;
  attrs: Record<string, string>;
  offset: number;
}

const ENTITY_OF: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
  'tg-time': 'date_time',
};

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return NAMED[lower] ?? whole;
  });
}

function entityFor(tag: OpenTag, end: number): MessageEntity | undefined {
  const base = { offset: tag.offset, length: end - tag.offset };
  if (base.length === 0) return undefined;
  switch (tag.name) {
    case 'a': {
      const url = tag.attrs.href;
      if (!url) return undefined;
      const userId = /^tg:\/\/user\?id=(\d+)$/.exec(url)?.[1];
      if (userId)
        return {
          ...base,
          type: 'text_mention',
          user: { id: Number(userId), is_bot: false, first_name: '' },
        };
      return { ...base, type: 'text_link', url };
    }
    case 'pre':
      return tag.attrs.language
        ? { ...base, type: 'pre', language: tag.attrs.language }
        : { ...base, type: 'pre' };
    case 'blockquote':
      return { ...base, type: 'expandable' in tag.attrs ? 'expandable_blockquote' : 'blockquote' };
    case 'tg-emoji':
      return { ...base, type: 'custom_emoji', custom_emoji_id: tag.attrs['emoji-id'] ?? '' };
    default:
      return { ...base, type: ENTITY_OF[tag.name] } as MessageEntity;
  }
}

/**
 * Telegram's HTML parse mode, roughly: the supported tags only, balanced, `&lt; &gt; &amp; &quot;`
 * and numeric entities. Returns the plain text and entities (UTF-16 offsets) or the error text
 * Telegram puts after "Bad Request: can't parse entities: ".
 */
export function parseTelegramHtml(html: string): HtmlParseResult {
  const stack: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  let text = '';
  let i = 0;
  const byteOffset = (index: number): number => Buffer.byteLength(html.slice(0, index));
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    text += decodeEntities(html.slice(i, lt === -1 ? undefined : lt));
    if (lt === -1) break;
    const at = byteOffset(lt);
    if (html[lt + 1] === '/') {
      const end = /^<\/([a-zA-Z0-9-]*)\s*>/.exec(html.slice(lt));
      if (!end) return { ok: false, error: `Unclosed end tag at byte offset ${at}` };
      const name = (end[1] ?? '').toLowerCase();
      const open = stack.pop();
      if (!open) return { ok: false, error: `Unexpected end tag at byte offset ${at}` };
      if (open.name !== name) {
        const found = `found "</${name}>"`;
        return {
          ok: false,
          error: `Unmatched end tag at byte offset ${at}, expected "</${open.name}>", ${found}`,
        };
      }
      const parent = stack.at(-1);
      const language = /^language-(.+)$/.exec(open.attrs.class ?? '')?.[1];
      // <pre><code class="language-x"> is one pre entity with a language, not pre + code.
      if (open.name === 'code' && parent?.name === 'pre') {
        if (language) parent.attrs.language = language;
      } else {
        const entity = entityFor(open, text.length);
        if (entity) entities.push(entity);
      }
      i = lt + end[0].length;
      continue;
    }
    const start =
      /^<([a-zA-Z0-9-]*)((?:\s+[a-zA-Z0-9-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*>/.exec(
        html.slice(lt),
      );
    const name = (/^<([a-zA-Z0-9-]*)/.exec(html.slice(lt))?.[1] ?? '').toLowerCase();
    if (!(name in ENTITY_OF))
      return { ok: false, error: `Unsupported start tag "${name}" at byte offset ${at}` };
    if (!start) return { ok: false, error: `Unclosed start tag at byte offset ${at}` };
    const attrs: Record<string, string> = {};
    for (const attr of (start[2] ?? '').matchAll(
      /([a-zA-Z0-9-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g,
    )) {
      attrs[(attr[1] ?? '').toLowerCase()] = decodeEntities(attr[2] ?? attr[3] ?? attr[4] ?? '');
    }
    if (name === 'span' && attrs.class !== 'tg-spoiler') {
      return { ok: false, error: `Tag "span" must have class "tg-spoiler" at byte offset ${at}` };
    }
    stack.push({ name, attrs, offset: text.length });
    i = lt + start[0].length;
  }
  const unclosed = stack.pop();
  if (unclosed)
    return { ok: false, error: `Can't find end tag corresponding to start tag "${unclosed.name}"` };
  return { ok: true, text, entities: entities.sort((a, b) => a.offset - b.offset) };
}
