/**
 * `GET /api/stats` after real conversations through the web chat: a question the docs
 * answer, a bug report that becomes a ticket, and a request for a person that a desk agent
 * claims. The day's row and the totals add up to what happened, a retried delivery counts
 * once, a restart changes nothing, and time to claim and SLA breaches follow the handoffs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildStats, type Stats } from '../../src/engine/stats.ts';
import type { Switchboard } from '../../src/main.ts';
import { createStore } from '../../src/store/index.ts';
import type { Classification } from '../../src/types/index.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

const MINUTE = 60_000;
const today = () => new Date().toISOString().slice(0, 10);

const CLASSIFICATION: Classification = {
  state: 'ESCALATE_HUMAN',
  kind: 'question',
  category: 'account',
  priority: 'medium',
  sentiment: 'neutral',
  summary: 'wants a person',
  tags: [],
  productArea: null,
  confidence: 0.9,
};

describe('GET /api/stats after a question, a ticket and a claimed handoff', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  let question: string;
  let claimStarted: number;
  let claimEnded: number;

  const stats = async (query = '') => {
    const res = await fetch(`${sb.url}/api/stats${query}`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    });
    return { status: res.status, body: (await res.json()) as Stats & { error?: string } };
  };

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    const client = webClient(sb.url);
    question = (await client.send('How do I reset my password?')).body.conversationId;
    await client.send('How do I change my email address?', question);
    await client.send('Checkout crashes at the payment step every time. iPhone 15, app 3.2.1');
    const paying = (await client.send('What payment methods do you accept?')).body;
    await sb.engine.idle();
    await client.send('Thanks, that solved it!', paying.conversationId, 'thanks-1');
    await sb.engine.idle();
    // The platform delivers the message that closed the conversation again: it is a retry,
    // not the start of another conversation.
    const again = await client.send('Thanks, that solved it!', paying.conversationId, 'thanks-1');
    expect(again.body.duplicate).toBe(true);
    const human = await client.send('I want to talk to a person');
    await sb.engine.idle();
    const { handoff } = await client.messages(human.body.conversationId);
    if (!handoff) throw new Error('no handoff was opened');
    claimStarted = sb.store.handoffs.get(handoff.id)?.createdAt as number;
    const claim = await fetch(`${sb.url}/desk/api/handoffs/${handoff.id}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ agent: { name: 'Alex' } }),
    });
    expect(claim.status).toBe(200);
    claimEnded = Date.now();
    // The customer keeps writing to the agent: still the same conversation, with a person.
    await client.send('Thanks for taking this', human.body.conversationId);
    await sb.engine.idle();
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it("counts today's conversations by outcome, and the handoff's time to claim", async () => {
    const { status, body } = await stats('?days=7');
    expect(status).toBe(200);
    expect(body.days).toHaveLength(7);
    const day = body.days.at(-1) as Stats['days'][number];
    expect(day).toMatchObject({
      date: today(),
      conversations: 4,
      botResolved: 2,
      handedOff: 1,
      ticketed: 1,
      deflectionRate: 0.5,
      handoffs: { opened: 1, claimed: 1, breaches: 0 },
    });
    const waited = day.handoffs.claimMedianMs as number;
    expect(waited).toBeGreaterThanOrEqual(0);
    expect(waited).toBeLessThanOrEqual(claimEnded - claimStarted);
    expect(day.handoffs.claimP90Ms).toBe(waited);
    for (const earlier of body.days.slice(0, -1)) {
      expect(earlier).toMatchObject({ conversations: 0, deflectionRate: null });
      expect(earlier.handoffs).toEqual({
        opened: 0,
        claimed: 0,
        breaches: 0,
        claimMedianMs: null,
        claimP90Ms: null,
      });
    }
    const { date: _date, ...sameAsToday } = day;
    expect(body.totals).toEqual(sameAsToday);
    expect(body.handoffSlaMs).toBe(15 * MINUTE);
  });

  it('lists 30 UTC days by default, oldest first, each one day apart', async () => {
    const { body } = await stats();
    const dates = (body.days as Array<{ date: string }>).map((d) => Date.parse(d.date));
    expect(dates).toHaveLength(30);
    expect(dates.slice(1).map((d, i) => d - (dates[i] as number))).toEqual(
      Array(29).fill(86_400_000),
    );
    expect(body.days.at(-1)?.date).toBe(today());
  });

  it('starts a new conversation after the bot resolved one, and keeps the old outcome', async () => {
    const client = webClient(sb.url);
    await client.send('Thanks, that solved it!', question);
    await sb.engine.idle();
    expect((await client.messages(question)).status).toBe('closed');
    await client.send(
      'The app crashes when I open settings, iPhone 14, iOS 17, app 3.2.1',
      question,
    );
    await sb.engine.idle();
    const [day] = (await stats('?days=1')).body.days;
    expect(day).toMatchObject({ conversations: 5, botResolved: 2, ticketed: 2, handedOff: 1 });
  });

  it('reads the same after a restart, and a conversation continues as one', async () => {
    const before = (await stats('?days=3')).body;
    await sb.stop();
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    expect((await stats('?days=3')).body).toEqual(before);
    await webClient(sb.url).send('And how do I change my email address?', question);
    await sb.engine.idle();
    expect((await stats('?days=3')).body.totals.conversations).toBe(5);
  });

  it('refuses a bad days, and unknown parameters, naming them', async () => {
    for (const [query, message] of [
      ['?days=0', /days must be at least 1/],
      ['?days=91', /days may be at most 90/],
      ['?days=abc', /days must be a number/],
      ['?days=1.5', /days must be a whole number/],
      ['?day=7', /day/],
    ] as const) {
      const { status, body } = await stats(query);
      expect(status, query).toBe(400);
      expect(body).toMatchObject({
        error: 'invalid_request',
        message: expect.stringMatching(message),
      });
    }
    const res = await fetch(`${sb.url}/api/stats`);
    expect(res.status).toBe(401);
  });
});

describe('handoff time to claim and SLA breaches', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('takes the median and p90 of the claims, and counts late and still-waiting handoffs', async () => {
    const store = createStore(':memory:');
    const start = Date.UTC(2025, 2, 14, 9, 0);
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const open = (conversationId: string) =>
      store.handoffs.create({
        conversationId,
        platform: 'web',
        customerName: 'Web visitor',
        summary: 'wants a person',
        classification: CLASSIFICATION,
      }).id;
    const agent = { id: 'a1', name: 'Alex' };
    const quick = open('web:quick');
    const late = open('web:late');
    const dealtWith = open('web:dealt-with');
    open('web:waiting');
    vi.setSystemTime(start + 1 * MINUTE);
    store.handoffs.claim(quick, agent);
    vi.setSystemTime(start + 2 * MINUTE);
    store.handoffs.resolve(dealtWith);

    const options = { days: 1, handoffSlaMs: 15 * MINUTE };
    // At 10 minutes nothing has waited past the SLA yet, though two handoffs still wait.
    const soon = buildStats(store, { ...options, now: start + 10 * MINUTE }).totals.handoffs;
    expect(soon).toEqual({
      opened: 4,
      claimed: 1,
      breaches: 0,
      claimMedianMs: MINUTE,
      claimP90Ms: MINUTE,
    });
    vi.setSystemTime(start + 20 * MINUTE);
    store.handoffs.claim(late, agent);
    const later = buildStats(store, { ...options, now: start + 30 * MINUTE });
    expect(later.totals.handoffs).toEqual({
      opened: 4,
      claimed: 2,
      breaches: 2,
      claimMedianMs: 1 * MINUTE,
      claimP90Ms: 20 * MINUTE,
    });
    expect(later.days).toEqual([{ date: '2025-03-14', ...later.totals }]);
    await store.close();
  });
});
