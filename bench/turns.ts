import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { StoredMessage } from '../src/types/index.ts';
import { startTestSwitchboard, tempDataDir } from '../test/helpers/switchboard.ts';
import { percentile, since, summarize } from './stats.ts';

/** Questions the sample docs answer, for benchmarks that time offline turns. */
export const QUESTIONS = [
  'How do I reset my password?',
  'Can I use a discount code at checkout?',
  'How do I turn off push notifications?',
  'Where can I download my invoices?',
  'How do I connect Stripe?',
  'How do I print a shipping label?',
  'Do you have a dark mode in the app?',
  'How do I set up a custom domain?',
];

/**
 * Offline turn latency: POST /web/messages until the bot's reply is stored, over the
 * real HTTP app with a warm store, against a bare express echo on the same machine in
 * the same run (the floor). Each round is `turns` sequential turns.
 */
export async function benchTurns(rounds = 5, turns = 1000): Promise<Record<string, unknown>> {
  const data = tempDataDir();
  const sb = await startTestSwitchboard({ DATA_DIR: data.dir });
  const echo = express()
    .use(express.json())
    .post('/echo', (req, res) => {
      res.json({ reply: req.body.text });
    });
  const echoServer = echo.listen(0, '127.0.0.1');
  await once(echoServer, 'listening');
  const echoUrl = `http://127.0.0.1:${(echoServer.address() as AddressInfo).port}/echo`;

  const turn = async (text: string): Promise<number> => {
    const start = performance.now();
    const replied = new Promise<void>((resolve) => {
      const onMessage = (m: StoredMessage) => {
        if (m.role !== 'customer' && m.conversationId === conversationId) {
          sb.engine.off('message', onMessage);
          resolve();
        }
      };
      let conversationId = '';
      sb.engine.on('message', onMessage);
      void fetch(`${sb.url}/web/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      })
        .then((r) => r.json() as Promise<{ conversationId: string }>)
        .then((b) => {
          conversationId = b.conversationId;
          if (sb.store.conversations.messages(conversationId).some((m) => m.role !== 'customer')) {
            sb.engine.off('message', onMessage);
            resolve();
          }
        });
    });
    await replied;
    return since(start);
  };
  const echoTurn = async (text: string): Promise<number> => {
    const start = performance.now();
    const res = await fetch(echoUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    await res.json();
    return since(start);
  };

  for (let i = 0; i < 50; i++) await turn(QUESTIONS[i % QUESTIONS.length] as string); // warm-up
  const p50s: number[] = [];
  const p99s: number[] = [];
  const echoP50s: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const engine: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < turns; i++) {
      const q = QUESTIONS[i % QUESTIONS.length] as string;
      engine.push(await turn(q));
      bare.push(await echoTurn(q));
    }
    p50s.push(percentile(engine, 50));
    p99s.push(percentile(engine, 99));
    echoP50s.push(percentile(bare, 50));
    ratios.push(percentile(engine, 50) / percentile(bare, 50));
  }
  echoServer.close();
  await sb.stop();
  data.remove();
  return {
    turnsPerRound: turns,
    rounds,
    'turn p50 ms': summarize(p50s).text,
    'turn p99 ms': summarize(p99s).text,
    'bare echo p50 ms': summarize(echoP50s, 3).text,
    'turn/echo p50 ratio': summarize(ratios, 1).text,
  };
}
