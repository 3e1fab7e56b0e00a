import { afterAll, describe, expect, it } from 'vitest';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

describe('stop and start again', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  it('keeps conversations, handoffs and tickets, and the same admin token', async () => {
    const first = await startTestSwitchboard({ DATA_DIR: data.dir });
    const client = webClient(first.url);
    const human = await client.send('I want to talk to a person');
    const bug = await client.send(
      'Checkout fails with an error on Chrome 120 when I pay by card, every single time',
    );
    await first.engine.idle();
    const token = first.adminToken;
    const before = await client.messages(bug.body.conversationId);
    const ref = /T-\d{4}/.exec(before.messages.at(-1)?.text ?? '')?.[0];
    expect(ref).toBeDefined();
    await first.stop();

    const second = await startTestSwitchboard({ DATA_DIR: data.dir });
    try {
      expect(second.adminToken).toBe(token);
      const again = webClient(second.url);
      expect((await again.messages(bug.body.conversationId)).messages).toEqual(before.messages);
      const handoff = (await again.messages(human.body.conversationId)).handoff;
      expect(handoff).toMatchObject({ status: 'open' });
      expect(second.store.tickets.byRef(ref as string)?.summary).toMatch(/Checkout fails/);
      // The conversation continues where it left off: the bot stays out of the handed-off one.
      await again.send('Are you there?', human.body.conversationId);
      await second.engine.idle();
      const bots = (await again.messages(human.body.conversationId)).messages.filter(
        (m) => m.role === 'bot',
      );
      expect(bots).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  it("relays an agent's reply once when the desk delivers it again after a restart", async () => {
    const agent = { id: 'U07AGNT0001', name: 'alex.agent' };
    const first = await startTestSwitchboard({ DATA_DIR: data.dir });
    const client = webClient(first.url);
    const { body } = await client.send('I want to talk to a person');
    await first.engine.idle();
    const handoff = (await client.messages(body.conversationId)).handoff;
    if (!handoff) throw new Error('no handoff');
    await first.engine.desk.claim(handoff.id, agent);
    const deliveryId = 'slack:C07AGENTS01:1721122007.000200';
    expect(await first.engine.desk.reply(handoff.id, agent, 'Hi, Alex here', deliveryId)).toEqual({
      ok: true,
      relayed: true,
    });
    await first.stop();

    // Slack saw no ack before the crash and delivers the same thread reply to the next process.
    const second = await startTestSwitchboard({ DATA_DIR: data.dir });
    try {
      const again = await second.engine.desk.reply(handoff.id, agent, 'Hi, Alex here', deliveryId);
      expect(again).toMatchObject({ ok: true, relayed: false, duplicate: true });
      const said = (await webClient(second.url).messages(body.conversationId)).messages.filter(
        (m) => m.role === 'agent',
      );
      expect(said.map((m) => m.text)).toEqual(['Hi, Alex here']);
    } finally {
      await second.stop();
    }
  });

  it('answers a message that was accepted but not answered before a crash', async () => {
    const dir = tempDataDir();
    const first = await startTestSwitchboard({ DATA_DIR: dir.dir });
    // Accept the message without running its turn, as if the process died right after the ack.
    first.store.conversations.acceptInbound(
      {
        platform: 'web',
        conversationId: 'web:crashcase01',
        messageId: 'm-1',
        author: { id: 'crashcase01', name: 'Visitor' },
        text: 'How do I reset my password?',
        receivedAt: new Date(),
      },
      3_600_000,
    );
    await first.stop();
    const second = await startTestSwitchboard({ DATA_DIR: dir.dir });
    try {
      await second.engine.idle();
      const { messages } = await webClient(second.url).messages('web:crashcase01');
      expect(messages.map((m) => m.role)).toEqual(['customer', 'bot']);
      expect(messages[1]?.text).toMatch(/Resetting your password/);
    } finally {
      await second.stop();
      dir.remove();
    }
  });
});
