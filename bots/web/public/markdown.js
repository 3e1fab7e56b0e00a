/**
 * A safe markdown subset for chat messages, shared by the chat and the desk.
 * HTML is escaped first; only the tags produced here ever reach the page: paragraphs,
 * line breaks, bold, italic, inline code, http(s) links, numbered and bulleted lists.
 */

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML content and attribute values. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ORDERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;
const BULLET = /^\s*[-*•]\s+(.*)$/;
const HEADING = /^\s*#{1,6}\s+(.*)$/;

/**
 * Renders markdown text to an HTML string that is safe to assign to innerHTML.
 * With `breaks` (the default, for what people type in a chat) a single newline is a line
 * break; without it (for docs and model answers, which wrap their source lines) it is a space.
 */
export function renderMarkdown(text, { breaks = true } = {}) {
  const lines = escapeHtml(String(text ?? '').replace(/\r\n?/g, '\n')).split('\n');
  const blocks = [];
  let paragraph = [];
  let list = null;

  const flushParagraph = () => {
    if (paragraph.length)
      blocks.push(`<p>${paragraph.map(inline).join(breaks ? '<br>' : ' ')}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (!list) return;
    const start = list.start > 1 ? ` start="${list.start}"` : '';
    const items = list.items.map((i) => `<li>${i}</li>`).join('');
    blocks.push(`<${list.tag}${start}>${items}</${list.tag}>`);
    list = null;
  };

  for (const line of lines) {
    const ordered = ORDERED.exec(line);
    const bullet = ordered ? null : BULLET.exec(line);
    const heading = HEADING.exec(line);
    if (ordered || bullet) {
      flushParagraph();
      const tag = ordered ? 'ol' : 'ul';
      if (list?.tag !== tag) {
        flushList();
        list = { tag, items: [], start: ordered ? Number(ordered[1]) : 1 };
      }
      list.items.push(inline(ordered ? ordered[2] : bullet[1]));
    } else if (!line.trim()) {
      flushParagraph();
      flushList();
    } else if (heading) {
      flushParagraph();
      flushList();
      blocks.push(`<p class="md-heading"><strong>${inline(heading[1])}</strong></p>`);
    } else if (list && /^\s{2,}\S/.test(line)) {
      // An indented line continues the previous list item.
      list.items[list.items.length - 1] += ` ${inline(line.trim())}`;
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return blocks.join('');
}

/**
 * Inline formatting of one already-escaped line. Code spans and links are set aside as
 * placeholders first, so emphasis markers inside them (snake_case, URLs) stay literal.
 */
function inline(escaped) {
  const held = [];
  const hold = (html) => `\uE000${held.push(html) - 1}\uE001`;
  let out = escaped
    .replace(/[\uE000\uE001]/g, '')
    .replace(/`([^`]+)`/g, (_, code) => hold(`<code>${code}</code>`));
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label, url) => {
    if (!/^https?:\/\//i.test(url)) return whole;
    return hold(
      `<a href="${url}" target="_blank" rel="noopener noreferrer">${emphasis(label)}</a>`,
    );
  });
  out = emphasis(out);
  return out.replace(/\uE000(\d+)\uE001/g, (_, i) => held[Number(i)]);
}

function emphasis(text) {
  return text
    .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/__(?=\S)([^_]*?\S)__/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1<em>$2</em>');
}
