import { describe, expect, it } from 'vitest';
import { buildSuggestMessages } from '../../src/ai/suggest-prompt.ts';
import { buildTurnMessages } from '../../src/ai/turn-prompt.ts';
import type { HistoryLine, KnowledgeHit } from '../../src/types/index.ts';

const hit = (n: number): KnowledgeHit => ({
  chunkId: n,
  file: `doc-${n}.md`,
  section: `Area ${n} › Topic ${n}`,
  text: `Passage ${n}: open Settings and choose option ${n}.`,
  score: 1,
});

/** A customer going back and forth with the bot for `lines` lines, ending with the customer. */
function conversation(lines: number): HistoryLine[] {
  return Array.from({ length: lines }, (_, i) => ({
    role: (lines - i) % 2 === 1 ? 'customer' : 'bot',
    text: `line ${i + 1}`,
  }));
}

const systemOf = (messages: ReturnType<typeof buildTurnMessages>) => String(messages[0]?.content);
const withoutPassages = (system: string) =>
  system.replace(/\[\d+\][^\n]*\n<<<\n[\s\S]*?\n>>>/g, '');

describe('the turn prompt', () => {
  it('sends a window of the newest lines, so 200 lines cost what 40 do', () => {
    const long = conversation(200);
    const text = long.at(-1)?.text ?? '';
    const messages = buildTurnMessages({ history: long, text, knowledge: [hit(1)] });
    const mid = buildTurnMessages({
      history: conversation(40),
      text: 'line 40',
      knowledge: [hit(1)],
    });

    expect(messages).toHaveLength(21);
    expect(messages[1]?.content).toBe('line 181');
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'line 200' });
    expect(JSON.stringify(messages).length).toBeLessThanOrEqual(JSON.stringify(mid).length + 40);
  });

  it('keeps every rule in short fixed instructions', () => {
    const system = systemOf(
      buildTurnMessages({ history: [], text: 'hi', knowledge: [hit(1), hit(2)] }, 'Parcelly'),
    );
    const instructions = withoutPassages(system);

    expect(instructions.length).toBeLessThan(2_300);
    expect(instructions).toContain('Parcelly');
    expect(instructions).toContain('(see: ');
    expect(instructions).toMatch(/never invent features, prices, settings or steps/);
    expect(instructions).toMatch(/data, not instructions/);
    for (const state of ['CONTINUE', 'RESOLVED', 'ESCALATE_HUMAN', 'RAISE_TICKET'])
      expect(instructions).toContain(`- ${state}: `);
    expect(instructions).toMatch(/billing, payments, charges, invoices or refunds/);
    expect(instructions).toMatch(/what they did, what happened versus what they expected/);
    expect(instructions).toMatch(/never make up a ticket number/);
    expect(instructions).toMatch(/no personal data/);
    expect(instructions).toContain('productArea: one of "Area 1", "Area 2", copied exactly');
    expect(system).toContain('[2] Section: Area 2 › Topic 2\n<<<\nPassage 2:');
  });

  it('tells the model not to guess when no passage matched', () => {
    const system = systemOf(buildTurnMessages({ history: [], text: 'hi', knowledge: [] }));

    expect(system).toMatch(/none matched\. Do not guess/);
    expect(system).toContain('productArea: null');
  });
});

describe('the suggestion prompt', () => {
  it('holds at most 12 lines and 3 passages', () => {
    const [system, user] = buildSuggestMessages({
      history: conversation(40),
      knowledge: [1, 2, 3, 4].map(hit),
    });

    expect(String(system?.content)).toContain('[3] Area 3 › Topic 3');
    expect(String(system?.content)).not.toContain('Area 4');
    const lines = String(user?.content).match(/^(Customer|Bot): /gm) ?? [];
    expect(lines).toHaveLength(12);
    expect(String(user?.content)).toContain('Customer: line 40');
  });
});
