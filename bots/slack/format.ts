/**
 * Text between the engine's Markdown and Slack's mrkdwn. Block Kit layouts are in blocks.ts.
 * Slack's quirks: `&`, `<` and `>` must be escaped (they start links and mentions), bold is
 * `*x*`, italics `_x_`, strike `~x~`, links `<url|text>`, and code keeps backticks.
 */

/**
 * The longest text this app puts in one message. Slack truncates `text` at 40,000
 * characters and advises keeping messages under 4,000; longer replies are split.
 */
export const MAX_MESSAGE_CHARS = 4000;

/** Escapes the three characters Slack treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const CODE = /(```[\s\S]*?```|`[^`\n]+`)/;
const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g;
// Placeholders are private-use characters, removed from the input first so they never collide.
const BOLD_OPEN = '\uE001';
const BOLD_CLOSE = '\uE002';

function inlineToMrkdwn(text: string): string {
  const links: string[] = [];
  const withoutLinks = text.replace(LINK, (_m, label: string, url: string) => {
    links.push(`<${url.replaceAll('|', '%7C')}|${escapeMrkdwn(label).replaceAll('|', '¦')}>`);
    return `\uE003${links.length - 1}\uE003`;
  });
  return escapeMrkdwn(withoutLinks)
    .replace(/^#{1,6}\s+(.+)$/gm, `${BOLD_OPEN}$1${BOLD_CLOSE}`)
    .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_m, a, b) => `${BOLD_OPEN}${a ?? b}${BOLD_CLOSE}`)
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1_$2_')
    .replace(/~~(.+?)~~/g, '~$1~')
    .replaceAll(BOLD_OPEN, '*')
    .replaceAll(BOLD_CLOSE, '*')
    .replace(/\uE003(\d+)\uE003/g, (_m, i: string) => links[Number(i)] ?? '');
}

/** Converts the engine's Markdown to Slack mrkdwn, leaving code spans and blocks as they are. */
export function toMrkdwn(markdown: string): string {
  return markdown
    .replace(/[\uE001-\uE003]/g, '')
    .split(CODE)
    .map((part, i) => (i % 2 === 1 ? escapeMrkdwn(part) : inlineToMrkdwn(part)))
    .join('');
}

/**
 * Converts what an agent typed in Slack back to plain Markdown for the customer's platform:
 * links, mentions and entities are unwrapped, `*bold*` becomes `**bold**`.
 */
export function fromMrkdwn(text: string, names: (userId: string) => string = (id) => id): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '[$2]($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_m, id: string) => `@${names(id)}`)
    .replace(/<#[CG][A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1**$2**')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** Cuts text into pieces of at most `limit`, at a paragraph, line or word boundary if one is near. */
function cut(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const at =
      [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' ')]
        .filter((i) => i > limit / 2)
        .at(0) ?? limit;
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

const FENCE = '```';

/**
 * Splits text into messages of at most `limit` characters, preferring paragraph, then line,
 * then word boundaries. A code block cut in two is closed at the end of one message and
 * reopened at the start of the next, so each message renders on its own.
 */
export function splitMessage(text: string, limit = MAX_MESSAGE_CHARS): string[] {
  if (text.trim().length <= limit) return text.trim() ? [text.trim()] : [];
  // Room to close a code block at the end of a piece and reopen it at the start of the next.
  const room = 2 * (FENCE.length + 1);
  let open = false;
  return cut(text, limit - room).map((piece) => {
    const reopened = open ? `${FENCE}\n${piece}` : piece;
    if (piece.split(FENCE).length % 2 === 0) open = !open;
    return open ? `${reopened}\n${FENCE}` : reopened;
  });
}

/** Cuts text to `max` characters with an ellipsis (Block Kit fields have hard limits). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
