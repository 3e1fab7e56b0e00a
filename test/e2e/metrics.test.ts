/**
 * What an operator scrapes from `/metrics` after a little real use through the web chat
 * and the web desk: turns by outcome with their latency, tickets created, handoffs opened
 * and their time to claim, and the event loop's lag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard, webClient } from '../helpers/switchboard.ts';

describe('/metrics after a question, a bug report and a handoff', () => {
  let sb: Switchboard;
  let text: string;

  beforeAll(async () => {
    sb = await startTestSwitchboard();
    const client = webClient(sb.url);
    await client.send('How do I reset my password?');
    await client.send('Checkout crashes at the payment step every time. iPhone 15, app 3.2.1');
    const human = await client.send('I want to talk to a person');
    await sb.engine.idle();
    const { handoff } = await client.messages(human.body.conversationId);
    if (!handoff) throw new Error('no handoff was opened');
    await sb.engine.desk.claim(handoff.id, { id: 'agent-1', name: 'Alex' });
    text = await (await fetch(`${sb.url}/metrics`)).text();
  });
  afterAll(() => sb?.stop());

  const value = (series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('counts turns by how they were answered, and times them', () => {
    const offline = text
      .split('\n')
      .filter((l) => l.startsWith('switchboard_turns_total{outcome="offline"'))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    expect(offline).toBe(3);
    expect(value('switchboard_turn_duration_seconds_count{assistant="offline"}')).toBe(3);
  });

  it('counts tickets and handoffs, and how long a handoff waited for an agent', () => {
    expect(value('switchboard_tickets_created_total')).toBe(1);
    expect(value('switchboard_handoffs_opened_total')).toBe(1);
    expect(value('switchboard_handoff_time_to_claim_seconds_count')).toBe(1);
  });

  it('reports the event loop lag', () => {
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });
});
