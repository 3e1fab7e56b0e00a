import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webClient } from '../helpers/switchboard.ts';
import { buttonsOf, eventually, type SlackWorld, startSlackWorld, textOf } from './helpers.ts';

const BUSY = 'U07AGNT0001';
const FREE = 'U07AGNT0002';
const OTHER_BOT = 'U07OTHERBOT';

describe('SLA re-announce with SLACK_AUTO_ASSIGN', () => {
  let world: SlackWorld;
  let web: ReturnType<typeof webClient>;

  beforeAll(async () => {
    world = await startSlackWorld('socket', { SLACK_AUTO_ASSIGN: 'true' });
    web = webClient(world.sb.url);
    const { fake } = world;
    fake.addUser({ id: FREE, name: 'sam', real_name: 'Sam Second' });
    fake.addUser({ id: OTHER_BOT, name: 'otherbot', real_name: 'Other Bot', is_bot: true });
    fake.setMembers(fake.ids.agentChannel, [fake.ids.botUserId, OTHER_BOT, BUSY, FREE]);
  });
  afterAll(() => world?.stop());

  async function handoff(text: string) {
    const { body } = await web.send(text);
    const h = await eventually(() => {
      const found = world.sb.store.handoffs.latestFor(body.conversationId);
      return found?.deskRef ? found : undefined;
    }, 'the handoff post');
    return { conversationId: body.conversationId, handoff: h, ts: h.deskRef?.ts as string };
  }

  it('assigns the handoff to the member with the fewest open handoffs and says so', async () => {
    const { fake, sb } = world;
    // BUSY already holds one handoff.
    const first = await handoff('I want to talk to a person');
    await world.click({ value: `handoff_${first.handoff.id}`, messageTs: first.ts, userId: BUSY });
    await eventually(
      () => (sb.store.handoffs.get(first.handoff.id)?.status === 'claimed' ? true : undefined),
      'the claim',
    );

    const second = await handoff('I need a human agent please');
    await sb.engine.announceDueHandoffs(Date.now() + sb.config.handoffSlaMinutes * 60_000 + 1000);

    expect(sb.store.handoffs.get(second.handoff.id)).toMatchObject({
      status: 'claimed',
      agentId: FREE,
    });
    const reminder = await fake.waitFor(
      (p) => p.thread_ts === second.ts && textOf(p).includes('waited past'),
    );
    expect(textOf(reminder)).toContain(`Assigned to <@${FREE}>`);
    expect(buttonsOf(reminder)).toEqual(['handoff_resolve']);
    const post = await fake.waitForUpdate(
      (u) => u.ts === second.ts && textOf(u).includes('Claimed by'),
    );
    expect(textOf(post)).toContain(`Claimed by <@${FREE}>`);
    const { messages } = await web.messages(second.conversationId);
    expect(
      messages.some((m) => m.role === 'system' && m.text.startsWith('sam from the support team')),
    ).toBe(true);
    // The claimed handoff is not re-announced again.
    expect(
      await sb.engine.announceDueHandoffs(Date.now() + 2 * sb.config.handoffSlaMinutes * 60_000),
    ).toBe(0);
  });
});
