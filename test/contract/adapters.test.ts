import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';
import { slackHarness } from '../slack/contract-harness.ts';
import { discordHarness } from './discord.ts';
import type { ContractHarness, ContractPlatform, SeenMessage } from './harness.ts';
import { telegramHarness } from './telegram.ts';
import { webHarness } from './web.ts';

/**
 * The adapters under contract. To add one (e.g. Slack), implement `ContractHarness` in
 * `test/contract/<platform>.ts`, as discord.ts and telegram.ts do, and list it here.
 */
const HARNESSES: ContractHarness[] = [webHarness, discordHarness, telegramHarness, slackHarness];

const QUESTION = 'How do I reset my password?';
const ANSWER = /Source: Accounts and login › Resetting your password/;

/** A reply long enough to need splitting everywhere: a list, a code block and prose. */
function longReply(): string {
  const steps = range(70).map((i) => `${i + 1}. Step ${pad(i)}: open **Settings** and check it`);
  const code = range(90).map((i) => `const line_${pad(i)} = load('export-${i}.csv');`);
  const prose = range(30).map(
    (i) => `Sentence ${pad(i)} names \`code_${i}\` and a [link](https://docs.acme.example/${i}).`,
  );
  const fenced = ['```ts', ...code, '```'].join('\n');
  return ['Here is the full procedure:', steps.join('\n'), fenced, prose.join(' ')].join('\n\n');
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function pad(i: number): string {
  return String(i).padStart(3, '0');
}

async function waitForReply(
  platform: ContractPlatform,
  conversationId: string,
  match: RegExp,
): Promise<SeenMessage[]> {
  await expect
    .poll(async () => (await platform.seen(conversationId)).map((m) => m.text).join('\n'), {
      timeout: 5_000,
      interval: 20,
    })
    .toMatch(match);
  return platform.seen(conversationId);
}

describe.each(HARNESSES)('the $platform adapter contract', (harness) => {
  let sb: Switchboard;
  let platform: ContractPlatform;

  beforeAll(async () => {
    sb = await startTestSwitchboard();
    platform = await harness.start(sb);
  });
  afterAll(async () => {
    await platform?.stop();
    await sb?.stop();
  });

  it('receives a customer message into its namespaced conversation', async () => {
    const { conversationId } = await platform.customerWrites('Where do I find my invoices?');
    expect(conversationId.startsWith(`${harness.platform}:`)).toBe(true);
    expect(sb.store.conversations.get(conversationId)?.platform).toBe(harness.platform);
    const stored = sb.store.conversations.messages(conversationId);
    expect(stored[0]).toMatchObject({ role: 'customer', text: 'Where do I find my invoices?' });
  });

  it('replies on the platform with the docs answer', async () => {
    const { conversationId } = await platform.customerWrites(QUESTION);
    const seen = await waitForReply(platform, conversationId, ANSWER);
    expect(
      seen
        .map((m) => m.text)
        .join('\n')
        .toLowerCase(),
    ).toContain('reset');
  });

  it('processes a message delivered twice once, and answers it once', async () => {
    const { conversationId, messageId } = await platform.customerWritesTwice(QUESTION);
    const deliveries = platform.handled.items.filter((h) => h.messageId === messageId);
    expect(deliveries.map((d) => d.accepted)).toEqual([true, false]);
    await waitForReply(platform, conversationId, ANSWER);
    await sb.engine.idle();
    const customer = sb.store.conversations
      .messages(conversationId)
      .filter((m) => m.role === 'customer');
    expect(customer).toHaveLength(1);
    expect((await platform.seen(conversationId)).filter((m) => ANSWER.test(m.text))).toHaveLength(
      1,
    );
  });

  it('round-trips conversation ids through its codec', async () => {
    for (const id of harness.sampleIds) expect(harness.roundTrip(id)).toBe(id);
    const { conversationId } = await platform.customerWrites('Can I change my email address?');
    expect(harness.roundTrip(conversationId)).toBe(conversationId);
    expect(
      harness.roundTrip(`${harness.platform === 'web' ? 'slack' : 'web'}:nope`),
    ).toBeUndefined();
  });

  it('splits a long reply at the platform limit without breaking formatting', async () => {
    const { conversationId } = await platform.customerWrites(QUESTION);
    const before = (await waitForReply(platform, conversationId, ANSWER)).length;
    await sb.engine.idle();
    const text = longReply();
    expect(await sb.engine.notify(conversationId, text)).toBe(true);
    const parts = (await waitForReply(platform, conversationId, /Sentence 029/)).slice(before);
    const { limit } = harness;
    if (limit === undefined) {
      expect(parts.map((p) => p.text)).toEqual([text]);
      return;
    }
    expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(text.length / limit));
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(limit);
      expect(platform.wellFormed(part)).toBe(true);
    }
    const all = parts.map((p) => p.text).join('\n');
    for (const marker of ['Step', 'const line', 'Sentence']) {
      const found = [...all.matchAll(new RegExp(`${marker}_?(\\d{3})`, 'g'))].map((m) => m[1]);
      expect(found).toEqual([...found].sort());
      expect(new Set(found).size).toBe(found.length);
    }
    expect(all.match(/Step \d{3}/g)).toHaveLength(70);
    expect(all.match(/const line_\d{3}/g)).toHaveLength(90);
    expect(all.match(/Sentence \d{3}/g)).toHaveLength(30);
  });

  // The web chat has no platform to refuse a send: replies are stored and streamed.
  it.skipIf(!harness.refuses)(
    'maps platform refusals to typed errors, and keeps delivering',
    async () => {
      expect(platform.refusals.length).toBeGreaterThan(0);
      const { conversationId } = await platform.customerWrites(QUESTION);
      await waitForReply(platform, conversationId, ANSWER);
      await sb.engine.idle();
      for (const refusal of platform.refusals) {
        refusal.arrange();
        const sent = platform.adapter.send(conversationId, { text: 'hello', from: 'bot' });
        await expect(sent, refusal.name).rejects.toMatchObject({
          code: refusal.code,
          cause: expect.any(Error),
        });
      }
      await platform.adapter.send(conversationId, { text: 'still here', from: 'bot' });
      await waitForReply(platform, conversationId, /still here/);
    },
  );
});
