import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { deskClient } from '../contract/desk.ts';
import { privateMessage } from '../contract/telegram.ts';
import { createTelegramFake, type TelegramFake } from '../fakes/telegram/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';

const MAYA = 5123409876;

interface Csat {
  rated: number;
  average: number | null;
  satisfiedRate: number | null;
}

describe('a Telegram customer rates the help they got, through the real app', () => {
  let fake: TelegramFake;
  let sb: Switchboard;

  beforeAll(async () => {
    fake = await createTelegramFake();
    sb = await startTestSwitchboard({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
  });
  afterAll(async () => {
    await sb?.stop();
    await fake?.close();
  });

  const stats = async () => {
    const res = await fetch(`${sb.url}/api/stats`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      totals: { csat: Csat };
      csatByAgent: Array<{ agent: { id: string; name: string } | null } & Csat>;
    };
  };

  it('is asked after an agent resolves, presses 4, and the rating shows in the stats', async () => {
    fake.pushUpdate(privateMessage('I want to talk to a person', MAYA, 10));
    await fake.waitFor((s) => s.chatId === MAYA && /human/i.test(s.text));
    const desk = deskClient(sb);
    const handoff = await desk.openHandoff(`telegram:${MAYA}`);
    await desk.claim(handoff, 'Sam');
    await desk.resolve(handoff, 'Sam');

    const asked = await fake.waitFor((s) => s.chatId === MAYA && s.keyboard !== undefined, 5_000);
    expect(asked.text).toMatch(/reply with a number from 1 \(poor\) to 5 \(great\)/);
    expect(asked.keyboard?.flat().map((b) => b.text)).toEqual(['1', '2', '3', '4', '5']);
    expect((await stats()).totals.csat.rated).toBe(0);

    const press = fake.pressButton(asked, '4');
    fake.pushUpdate(press);
    await fake.waitFor((s) => s.chatId === MAYA && /Thank you for rating us/.test(s.text), 5_000);
    // The engine thanks her while the adapter takes the buttons away.
    await expect.poll(() => fake.keyboardOf(asked)).toBeUndefined();
    expect(fake.methods.keyboards.answers.items.map((a) => a.queryId)).toEqual([
      press.callback_query?.id,
    ]);

    // Telegram delivers the same press again: taken once, thanked once.
    fake.pushUpdate(press);
    await expect.poll(() => fake.updates.pending.length).toBe(0);
    await sb.engine.idle();
    expect(fake.sent.filter((s) => /Thank you for rating us/.test(s.text))).toHaveLength(1);

    const { totals, csatByAgent } = await stats();
    expect(totals.csat).toEqual({ rated: 1, average: 4, satisfiedRate: 1 });
    expect(csatByAgent).toEqual([
      expect.objectContaining({ agent: expect.objectContaining({ name: 'Sam' }), rated: 1 }),
    ]);
  });
});
