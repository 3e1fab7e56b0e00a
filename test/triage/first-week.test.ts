/**
 * Triage as a team sees it in its first week, through the real web chat and admin API of a
 * running Switchboard (offline assistant, sample product): bugs filed without insisting,
 * setups kept as data, requests for a person and disputes handed over in any wording,
 * questions found by their glossary words, an honest "not sure", and clean cluster titles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

const REF = /T-\d{4}/;

describe('first-week triage through the web chat', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  let client: ReturnType<typeof webClient>;

  /** Sends one message and resolves with the bot's reply to it (after the turn ran). */
  async function say(text: string, conversationId?: string) {
    const { body } = await client.send(text, conversationId);
    await sb.engine.idle();
    const { messages, handoff } = await client.messages(body.conversationId);
    const reply = messages.at(-1);
    return { conversationId: body.conversationId, reply: reply?.text ?? '', handoff };
  }

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${sb.url}/api${path}`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    client = webClient(sb.url);
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it('files a described malfunction with its setup at once, keeping the setup as data', async () => {
    const { reply } = await say(
      'Order notifications arrive hours late, sometimes 3 hours after the order. Pixel 7, Android 14, app 3.2.1',
    );
    expect(reply).toMatch(REF);
    expect(reply).not.toMatch(/device or browser/);
    expect(reply).toContain('Pixel 7, Android 14, app 3.2.1');
    const ref = REF.exec(reply)?.[0] as string;
    const { ticket } = await api<{ ticket: Record<string, unknown> }>(`/tickets/${ref}`);
    expect(ticket.environment).toEqual({
      device: 'Pixel 7',
      os: 'Android 14',
      appVersion: '3.2.1',
      browser: null,
    });
    expect(ticket.productArea).toMatch(/^Notifications › /);
  });

  it('asks once for what is missing, never again for what was given, and files on the answer', async () => {
    const first = await say('the app crashes when I open settings');
    expect(first.reply).toMatch(/device or browser and app version/);
    expect(first.reply).not.toMatch(REF);
    // A how-to about crashes is not what a crash report needs.
    expect(first.reply).not.toMatch(/clear(ing)? the cache/i);
    const second = await say('no idea which version, sorry', first.conversationId);
    expect(second.reply).toMatch(REF);

    const given = await say('I cant log in since the update, Android 14 app 3.2.1');
    expect(given.reply).toMatch(REF);
    expect(given.reply).not.toMatch(/device or browser/);
  });

  it('hands requests for a person and billing disputes to a human, in any wording', async () => {
    for (const text of [
      'can a real person look at this',
      'put me through to someone',
      "I'd like to speak with your team",
      'I was charged twice and want it back',
      'why did you bill me after I cancelled',
    ]) {
      const { handoff, reply } = await say(text);
      expect(handoff, text).not.toBeNull();
      expect(reply, text).toMatch(/support team/);
    }
  });

  it('answers abbreviations, glossary words and typos from the section that covers them', async () => {
    const cases: Array<[string, string]> = [
      ['How do I turn on 2FA?', 'Accounts and login › Two-factor authentication'],
      ['how do I enable two-factor?', 'Accounts and login › Two-factor authentication'],
      ['How do I track an order?', 'Orders and shipping › Tracking numbers'],
      ['Where is my order?', 'Orders and shipping › Tracking numbers'],
      ['how do i cancle my subscripton', 'Billing › Cancelling your subscription'],
    ];
    for (const [question, section] of cases) {
      const { reply } = await say(question);
      expect(reply, question).toContain(`Source: ${section}`);
    }
  });

  it('says it is not sure instead of quoting an unrelated section, and offers a person', async () => {
    const { reply, conversationId } = await say('what is the weather like in paris this weekend');
    expect(reply).toMatch(/not sure/i);
    expect(reply).not.toMatch(/Source:/);
    expect(reply).toMatch(/person/);
    const yes = await say('yes', conversationId);
    expect(yes.handoff).not.toBeNull();
  });

  it('titles a cluster as a clean statement of the problem, with its setups counted', async () => {
    const reports = [
      'Checkout crashes at the payment step and the cart is lost. Chrome 120 on Windows 11, version 3.2.1. This is a bug, please fix',
      'checkout crashes at the payment step and I lose my cart, safari on my macbook, app 3.2.1',
    ];
    const refs: string[] = [];
    for (const text of reports) refs.push(REF.exec((await say(text)).reply)?.[0] as string);
    const { ticket } = await api<{ ticket: { clusterId: number } }>(`/tickets/${refs[0]}`);
    const { cluster } = await api<{
      cluster: { title: string; environment: { appVersions: Record<string, number> } };
    }>(`/clusters/${ticket.clusterId}`);
    expect(cluster.title).toMatch(/^[A-Z]/);
    expect(cluster.title).toMatch(/checkout/i);
    expect(cluster.title).not.toMatch(
      /chrome|safari|windows|macbook|3\.2\.1|version|bug|please|[,;:(]$/i,
    );
    expect(cluster.title.length).toBeLessThanOrEqual(80);
    expect(cluster.environment.appVersions['3.2.1']).toBeGreaterThanOrEqual(1);
  });

  it('keeps a quoted error closed and a sentence whole when a title is cut and setups removed', async () => {
    const reports = [
      "when I press save on a new order it says 'Could not save the order, try again in a few minutes' and the order is gone",
      "my laptop says 'Could not save the order, try again in a few minutes' when I press save, and the order is gone",
    ];
    const refs: string[] = [];
    for (const text of reports) refs.push(REF.exec((await say(text)).reply)?.[0] as string);
    const { ticket } = await api<{ ticket: { clusterId: number } }>(`/tickets/${refs[1]}`);
    const { cluster } = await api<{ cluster: { title: string } }>(`/clusters/${ticket.clusterId}`);
    expect(cluster.title).toMatch(/could not save the order/i);
    // Every quotation the title opens, it closes; no brand or kind of computer is named.
    const opened = cluster.title.match(/(?:^|\s)'\S/g)?.length ?? 0;
    const closed = cluster.title.match(/\S'(?=\s|$|[.,;:!?])/g)?.length ?? 0;
    expect(opened, cluster.title).toBe(closed);
    expect(cluster.title).not.toMatch(/laptop|^my says/i);
  });

  it('says in the digest when a problem appears only from some version on', async () => {
    // Customers run 3.1.0 too (a different problem), but this one is only seen on 3.3.0.
    await say('The invoice PDF download shows a blank page, iPhone 13, iOS 17, app 3.1.0');
    const refs: string[] = [];
    for (const text of [
      'Barcode scanning freezes the camera on my Pixel 8, Android 14, app 3.3.0',
      'the barcode scanner freezes the camera every time, galaxy s23, app version 3.3.0',
    ]) {
      refs.push(REF.exec((await say(text)).reply)?.[0] as string);
    }
    const { ticket } = await api<{ ticket: { clusterId: number } }>(`/tickets/${refs[0]}`);
    const { digest } = await api<{
      digest: { entries: Array<{ clusterId: number; sinceVersion: string | null }> };
    }>('/digest?since=1h');
    const entry = digest.entries.find((e) => e.clusterId === ticket.clusterId);
    expect(entry?.sinceVersion).toBe('3.3.0');
    const markdown = await fetch(`${sb.url}/api/digest?since=1h&format=md`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    }).then((r) => r.text());
    expect(markdown).toContain('Versions: 3.3.0 ×2 (since 3.3.0)');
    expect(markdown).toMatch(/Systems: Android ×2/);
  });
});

describe('first-week triage on a fresh install', () => {
  it('keeps apart two problems whose reporters both insist "please file a ticket"', async () => {
    const sb = await startTestSwitchboard();
    try {
      const client = webClient(sb.url);
      const say = async (text: string, conversationId?: string) => {
        const { body } = await client.send(text, conversationId);
        await sb.engine.idle();
        const { messages } = await client.messages(body.conversationId);
        return { conversationId: body.conversationId, reply: messages.at(-1)?.text ?? '' };
      };
      const get = async (path: string) =>
        (await fetch(`${sb.url}/api${path}`, {
          headers: { authorization: `Bearer ${sb.adminToken}` },
        }).then((r) => r.json())) as { ticket: { clusterId: number }; cluster: { title: string } };
      const clusters: number[] = [];
      for (const report of [
        'Checkout fails with a payment error when I pay by card',
        'I cannot log in after the update, it says invalid password',
      ]) {
        const first = await say(report);
        // The words added to get a ticket filed say nothing about the problem.
        const filed = await say('It is a bug, please file a ticket', first.conversationId);
        const ref = REF.exec(`${first.reply} ${filed.reply}`)?.[0] as string;
        clusters.push((await get(`/tickets/${ref}`)).ticket.clusterId);
      }
      expect(clusters[0]).not.toBe(clusters[1]);
      for (const id of clusters) {
        expect((await get(`/clusters/${id}`)).cluster.title).not.toMatch(/ticket|please/i);
      }
    } finally {
      await sb.stop();
    }
  });
});
