import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { deskClient } from '../contract/desk.ts';
import { createDiscordFake, type DiscordFake } from '../fakes/discord/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';

interface Csat {
  rated: number;
  average: number | null;
  satisfiedRate: number | null;
}

describe('a Discord customer rates the help they got, through the real app', () => {
  let fake: DiscordFake;
  let sb: Switchboard;

  beforeAll(async () => {
    fake = await createDiscordFake();
    sb = await startTestSwitchboard({
      DISCORD_BOT_TOKEN: fake.token,
      DISCORD_API_URL: fake.restOptions.api,
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

  it('is asked in the thread after an agent resolves, presses 4, and the rating shows in the stats', async () => {
    const question = fake.sendMessageCreate({
      content: `<@${fake.world.bot.id}> I want to talk to a person`,
    });
    const thread = question.id;
    await fake.waitFor((s) => s.channelId === thread && /human/i.test(s.body.content ?? ''));
    const desk = deskClient(sb);
    const handoff = await desk.openHandoff(`discord:${thread}`);
    await desk.claim(handoff, 'Sam');
    await desk.resolve(handoff, 'Sam');

    const asked = await fake.waitFor(
      (s) => s.channelId === thread && !!s.body.components?.length,
      5_000,
    );
    expect(asked.body.content).toMatch(/reply with a number from 1 \(poor\) to 5 \(great\)/);
    const labels = (asked.message.components ?? []).flatMap((row) =>
      'components' in row ? row.components.map((c) => ('label' in c ? c.label : undefined)) : [],
    );
    expect(labels).toEqual(['1', '2', '3', '4', '5']);
    expect((await stats()).totals.csat.rated).toBe(0);

    // Someone else in the thread presses first: told the buttons are not theirs, nothing counted.
    const lurker = {
      id: '990000000000000001',
      username: 'lurker',
      discriminator: '0',
      global_name: 'Lurker',
      avatar: null,
    };
    const member = fake.world.members.get(fake.world.customer.id);
    if (member) fake.world.members.set(lurker.id, member);
    const bystander = fake.pressButton({ messageId: asked.message.id, label: '1', user: lurker });
    await expect
      .poll(() =>
        fake.rest.interactions.callbacks.items.some((c) => c.interactionId === bystander.id),
      )
      .toBe(true);
    await sb.engine.idle();
    expect(fake.world.messages.get(asked.message.id)?.components?.length).toBeGreaterThan(0);
    expect((await stats()).totals.csat.rated).toBe(0);

    const press = fake.pressButton({ messageId: asked.message.id, label: '4' });
    await fake.waitFor(
      (s) => s.channelId === thread && /Thank you for rating us/.test(s.body.content ?? ''),
      5_000,
    );
    // The engine thanks them while the adapter takes the buttons away.
    await expect.poll(() => fake.world.messages.get(asked.message.id)?.components).toEqual([]);
    expect(
      fake.rest.interactions.callbacks.items.filter((c) => c.interactionId === press.id),
    ).toMatchObject([{ interactionId: press.id, type: 7 }]);

    // The same press delivered again (a second instance during a deploy): taken once.
    fake.dispatch('INTERACTION_CREATE', press);
    await expect
      .poll(() => fake.rest.calls.items.filter((c) => c.route.includes('/interactions/')).length)
      .toBe(3);
    await sb.engine.idle();
    const thanks = fake.sent.filter((s) => /Thank you for rating us/.test(s.body.content ?? ''));
    expect(thanks).toHaveLength(1);

    const { totals, csatByAgent } = await stats();
    expect(totals.csat).toEqual({ rated: 1, average: 4, satisfiedRate: 1 });
    expect(csatByAgent).toEqual([
      expect.objectContaining({ agent: expect.objectContaining({ name: 'Sam' }), rated: 1 }),
    ]);
  });
});
