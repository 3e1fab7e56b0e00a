/**
 * Markdown (as the engine writes replies) to the HTML subset Telegram's `parse_mode: 'HTML'`
 * accepts: `<b> <i> <s> <code> <pre> <a href> <blockquote>`. Everything else is escaped,
 * so a customer's `<script>` or an agent's `a < b & c` arrives as text. Headings become bold
 * lines and bullets become "•", since Telegram has neither.
 */
export function markdownToTelegramHtml(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^\s*(`{3,}|~{3,})\s*([\w+#.-]*)/.exec(line);
    if (fence?.[1]) {
      const marker = fence[1];
      const body: string[] = [];
      for (i++; i < lines.length && !isClosingFence(lines[i] ?? '', marker); i++) {
        body.push(lines[i] ?? '');
      }
      const code = escapeHtml(body.join('\n'));
      out.push(
        fence[2]
          ? `<pre><code class="language-${escapeHtml(fence[2])}">${code}</code></pre>`
          : `<pre>${code}</pre>`,
      );
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && /^\s*>/.test(lines[i] ?? ''); i++) {
        quoted.push(inline((lines[i] ?? '').replace(/^\s*>\s?/, '')));
      }
      i--;
      out.push(`<blockquote>${quoted.join('\n')}</blockquote>`);
      continue;
    }
    out.push(blockLine(line));
  }
  return out.join('\n');
}

function isClosingFence(line: string, marker: string): boolean {
  const closing = /^\s*(`{3,}|~{3,})\s*$/.exec(line)?.[1];
  return closing !== undefined && closing[0] === marker[0] && closing.length >= marker.length;
}

function blockLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return `<b>${inline(heading[1] ?? '')}</b>`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1] ?? ''}• ${inline(bullet[2] ?? '')}`;
  if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return '———';
  return inline(line);
}

// One alternative per inline span; the leftmost match wins, and at one position the first
// alternative does (so `**` is bold before `*` is italic).
const INLINE = new RegExp(
  [
    '`([^`\\n]+)`',
    '\\[([^\\]\\n]+)\\]\\(([^()\\s]+)\\)',
    '\\*\\*(?=\\S)([\\s\\S]*?\\S)\\*\\*',
    '__(?=\\S)([\\s\\S]*?\\S)__',
    '~~(?=\\S)([\\s\\S]*?\\S)~~',
    '\\*(?=[^\\s*])([\\s\\S]*?[^\\s*])\\*',
    '(?<![\\p{L}\\p{N}_])_(?=[^\\s_])([\\s\\S]*?[^\\s_])_(?![\\p{L}\\p{N}_])',
  ].join('|'),
  'u',
);

/** Inline markdown to HTML: code, links, bold, strikethrough, italic; the rest escaped. */
function inline(text: string): string {
  let html = '';
  let rest = text;
  for (let match = INLINE.exec(rest); match; match = INLINE.exec(rest)) {
    html += escapeHtml(rest.slice(0, match.index));
    html += span(match);
    rest = rest.slice(match.index + match[0].length);
  }
  return html + escapeHtml(rest);
}

function span(m: RegExpExecArray): string {
  if (m[1] !== undefined) return `<code>${escapeHtml(m[1])}</code>`;
  if (m[2] !== undefined && m[3] !== undefined) {
    // Only web and Telegram links become links; anything else (javascript:, data:) stays text.
    if (!/^(https?:\/\/|tg:\/\/|mailto:)/i.test(m[3])) return escapeHtml(m[0]);
    return `<a href="${escapeHtml(m[3])}">${inline(m[2])}</a>`;
  }
  if (m[4] !== undefined) return `<b>${inline(m[4])}</b>`;
  if (m[5] !== undefined) return `<b>${inline(m[5])}</b>`;
  if (m[6] !== undefined) return `<s>${inline(m[6])}</s>`;
  return `<i>${inline(m[7] ?? m[8] ?? '')}</i>`;
}

/** Escapes the three characters Telegram's HTML mode requires (and `"` for attributes). */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
