import { describe, expect, it } from 'vitest';
import { formatForTelegram, TELEGRAM_MESSAGE_LIMIT } from '../../bots/telegram/format.ts';
import { markdownToTelegramHtml } from '../../bots/telegram/markdown-html.ts';
import { parseTelegramHtml } from '../fakes/telegram/html.ts';

/** What the customer reads, and the formatting Telegram applies, as the Bot API parses it. */
function rendered(html: string) {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(`Telegram would refuse ${JSON.stringify(html)}: ${parsed.error}`);
  return parsed;
}

describe('markdown to Telegram HTML', () => {
  it.each([
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['<script>alert("x")</script>', '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'],
    ['**bold** and __also bold__', '<b>bold</b> and <b>also bold</b>'],
    ['*italic* and _italic_', '<i>italic</i> and <i>italic</i>'],
    ['~~gone~~', '<s>gone</s>'],
    ['keep snake_case_names and 2 * 3 * 4', 'keep snake_case_names and 2 * 3 * 4'],
    ['run `npm i <pkg> && go`', 'run <code>npm i &lt;pkg&gt; &amp;&amp; go</code>'],
    ['**bold with `code` inside**', '<b>bold with <code>code</code> inside</b>'],
    [
      '[the docs](https://acme.example/a?x=1&y="2")',
      '<a href="https://acme.example/a?x=1&amp;y=&quot;2&quot;">the docs</a>',
    ],
    [
      '[**bold link**](https://acme.example)',
      '<a href="https://acme.example"><b>bold link</b></a>',
    ],
    ['[click](javascript:alert(1))', '[click](javascript:alert(1))'],
    ['## Resetting your password', '<b>Resetting your password</b>'],
    ['- one\n* two\n  + nested', '• one\n• two\n  • nested'],
    ['1. first\n2. second', '1. first\n2. second'],
    ['> quoted <b>\n> twice', '<blockquote>quoted &lt;b&gt;\ntwice</blockquote>'],
    ['```ts\nif (a < b) {}\n```', '<pre><code class="language-ts">if (a &lt; b) {}</code></pre>'],
    ['```\n**not bold**\n```', '<pre>**not bold**</pre>'],
    [
      '_Source: Accounts and login › Resetting your password_',
      '<i>Source: Accounts and login › Resetting your password</i>',
    ],
  ])('%j', (markdown, html) => {
    expect(markdownToTelegramHtml(markdown)).toBe(html);
    rendered(html);
  });

  it('produces HTML Telegram accepts for unbalanced markdown', () => {
    for (const markdown of ['**never closed', 'a `tick', '[broken](', '_half', '```\nopen fence']) {
      expect(() => rendered(markdownToTelegramHtml(markdown))).not.toThrow();
    }
  });
});

describe('formatting replies for Telegram', () => {
  it('heads an agent reply with their name, escaped', () => {
    const [html] = formatForTelegram({
      text: 'Fixed **now**',
      from: 'agent',
      agentName: 'Sam <ops>',
    });
    expect(html).toBe('<b>Sam &lt;ops&gt;</b> (support)\nFixed <b>now</b>');
    expect(rendered(html ?? '').text).toBe('Sam <ops> (support)\nFixed now');
  });

  it('splits at 4,096 characters as Telegram counts them, each part valid HTML', () => {
    const items = Array.from(
      { length: 150 },
      (_, i) => `- **Item ${i}** costs < 5 & ships in _2 days_ ${'.'.repeat(20)}`,
    );
    const code = Array.from({ length: 120 }, (_, i) => `echo "<step ${i}>" && true`);
    const text = `${items.join('\n')}\n\n\`\`\`sh\n${code.join('\n')}\n\`\`\``;
    const parts = formatForTelegram({ text, from: 'bot' }).map(rendered);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    const visible = parts.map((p) => p.text).join('\n');
    expect(visible.match(/• Item \d+ costs < 5 & ships in 2 days/g)).toHaveLength(150);
    expect(visible.match(/echo "<step \d+>" && true/g)).toHaveLength(120);
    expect(
      parts.flatMap((p) => p.entities.filter((e) => e.type === 'pre')).length,
    ).toBeGreaterThanOrEqual(1);
  });
});
