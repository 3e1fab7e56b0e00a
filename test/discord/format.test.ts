import { describe, expect, it } from 'vitest';
import { DISCORD_MESSAGE_LIMIT, formatForDiscord } from '../../bots/discord/format.ts';
import { splitMarkdown } from '../../bots/split-markdown.ts';

const fences = (part: string) => (part.match(/^\s*```/gm) ?? []).length;

describe('formatting replies for Discord', () => {
  it('sends short markdown as it is, and heads an agent reply with their name', () => {
    expect(formatForDiscord({ text: 'Use **Settings → Billing**.', from: 'bot' })).toEqual([
      'Use **Settings → Billing**.',
    ]);
    expect(formatForDiscord({ text: 'On it!', from: 'agent', agentName: 'sam_k' })).toEqual([
      '**sam\\_k** (support)\nOn it!',
    ]);
  });

  it('names the customer first when the conversation lives in a shared channel', () => {
    const [first] = formatForDiscord({ text: 'Hello', from: 'bot' }, '1100000000000000001');
    expect(first).toBe('<@1100000000000000001> Hello');
  });

  it('splits at 2,000 characters between list items, never inside one', () => {
    const items = Array.from({ length: 80 }, (_, i) => `- item ${i}: ${'x'.repeat(40)}`);
    const parts = formatForDiscord({ text: items.join('\n'), from: 'bot' });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
      for (const line of part.split('\n')) expect(line).toMatch(/^- item \d+: x{40}$/);
    }
    expect(parts.join('\n')).toBe(items.join('\n'));
  });

  it('closes a code block at the end of a part and reopens it, with its language, in the next', () => {
    const code = Array.from({ length: 120 }, (_, i) => `print("line ${i}")  # ${'.'.repeat(10)}`);
    const text = `Try this:\n\n\`\`\`python\n${code.join('\n')}\n\`\`\`\n\nThen restart.`;
    const parts = splitMarkdown(text, 1000);
    expect(parts.length).toBeGreaterThan(2);
    for (const [i, part] of parts.entries()) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(fences(part) % 2).toBe(0);
      if (i > 0 && i < parts.length - 1) expect(part.startsWith('```python\n')).toBe(true);
    }
    const lines = parts
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('print('));
    expect(lines).toEqual(code);
    expect(parts.at(-1)).toMatch(/Then restart\.$/);
  });

  it('breaks a long line between words, outside bold, code and links', () => {
    const words = Array.from(
      { length: 60 },
      (_, i) => `word${i} **bold ${i} text** \`code ${i}\` [link ${i}](https://x.example/${i})`,
    );
    const parts = splitMarkdown(words.join(' '), 300);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(300);
      expect((part.match(/\*\*/g) ?? []).length % 2).toBe(0);
      expect((part.match(/`/g) ?? []).length % 2).toBe(0);
      expect((part.match(/\[/g) ?? []).length).toBe((part.match(/\]\(/g) ?? []).length);
    }
    expect(parts.join(' ')).toBe(words.join(' '));
  });

  it('keeps short blocks whole and together, and closes an unclosed fence', () => {
    expect(splitMarkdown('Para one.\n\n\n\nPara two.', 100)).toEqual(['Para one.\n\nPara two.']);
    expect(splitMarkdown('```js\nlet a = 1;', 100)).toEqual(['```js\nlet a = 1;\n```']);
    expect(splitMarkdown('   \n\n  ', 100)).toEqual([]);
  });
});
