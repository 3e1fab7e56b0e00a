import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { startTestSwitchboard, webClient } from '../helpers/switchboard.ts';

describe('webhooks fired by live conversations', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let receiver: WebhookReceiver;
  let sb: Switchboard;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sb = await startTestSwitchboard({
      WEBHOOK_URLS: `${receiver.url}/hooks`,
      WEBHOOK_SECRET: secret,
    });
  });
  afterAll(async () => {
    await sb?.stop();
    await receiver?.close();
  });

  const events = () =>
    receiver.requests.map((r) => {
      return new Webhook(secret).verify(r.body, r.headers) as {
        type: string;
        data: {
          ticket?: { ref: string; summary: string };
          handoff?: { agent: { name: string } | null };
        };
      };
    });

  it('signs ticket.created and the handoff lifecycle so a Standard Webhooks receiver verifies them', async () => {
    const client = webClient(sb.url);
    await client.send(
      'Checkout fails with an error on Chrome 120 when I pay by card, every single time',
    );
    const human = await client.send('I want to talk to a person');
    await sb.engine.idle();
    const auth = { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' };
    const list = (await (
      await fetch(`${sb.url}/desk/api/handoffs?status=open`, { headers: auth })
    ).json()) as {
      handoffs: Array<{ id: number; conversationId: string }>;
    };
    const hid = list.handoffs.find((h) => h.conversationId === human.body.conversationId)?.id;
    for (const action of ['claim', 'resolve']) {
      await fetch(`${sb.url}/desk/api/handoffs/${hid}/${action}`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ agent: { name: 'Sam' } }),
      });
    }
    await receiver.waitFor(4, 10_000);
    const received = events();
    expect(received.map((e) => e.type).sort()).toEqual(
      ['handoff.claimed', 'handoff.created', 'handoff.resolved', 'ticket.created'].sort(),
    );
    const ticket = received.find((e) => e.type === 'ticket.created')?.data.ticket;
    expect(ticket?.ref).toMatch(/^T-\d{4}$/);
    expect(ticket?.summary).toMatch(/Checkout fails/);
    const claimed = received.find((e) => e.type === 'handoff.claimed')?.data.handoff;
    expect(claimed?.agent?.name).toBe('Sam');
  });

  it('lists each delivery with its attempts on the admin API', async () => {
    const res = await fetch(`${sb.url}/api/webhooks/deliveries`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      deliveries: Array<{ status: string; attempts: unknown[] }>;
    };
    expect(body.deliveries.length).toBeGreaterThanOrEqual(4);
    expect(body.deliveries.every((d) => d.status === 'delivered' && d.attempts.length === 1)).toBe(
      true,
    );
    expect((await fetch(`${sb.url}/api/webhooks/deliveries`)).status).toBe(401);
  });

  it('exposes delivery metrics in Prometheus text', async () => {
    const text = await (await fetch(`${sb.url}/metrics`)).text();
    expect(text).toMatch(
      /switchboard_webhook_deliveries_total\{[^}]*outcome="delivered"[^}]*\} [1-9]/,
    );
  });
});
