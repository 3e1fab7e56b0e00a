/**
 * "typing…" on Telegram, as a customer sees it: shown while a slow model answers (or while
 * its retries run), not spent on an answer that comes at once (the offline assistant), so
 * the bot does not use a platform request per message on an indicator nobody would see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { privateMessage } from '../contract/telegram.ts';
import { modelTurn } from '../fakes/openai/chat.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai/server.ts';
import { createTelegramFake, type TelegramFake } from '../fakes/telegram/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';

const SLOW = 5123409876;
const FAST = 6234567012;
const MODEL_REPLY = 'Open Settings and choose Reset password.';

describe('the typing indicator on Telegram', () => {
  let telegram: TelegramFake;
  let model: FakeOpenAI;
  let slow: Switchboard;

  beforeAll(async () => {
    telegram = await createTelegramFake();
    model = await startFakeOpenAI();
    model.setHandler(() => modelTurn(MODEL_REPLY));
  });
  afterAll(async () => {
    await slow?.stop();
    await telegram?.close();
    await model?.close();
  });

  const typingFor = (chatId: number) =>
    telegram.methods.chatActions.items.filter((a) => a.chatId === chatId && a.action === 'typing');

  it('shows while a slow model answers, before the answer', async () => {
    model.setMode('slow', { delayMs: 1200 });
    slow = await startTestSwitchboard({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: model.url,
      LLM_MODEL: 'primary-model',
      LLM_TIMEOUT_MS: '5000',
    });
    telegram.pushUpdate(privateMessage('How do I reset my password?', SLOW, 10));
    let typingBeforeAnswer = -1;
    await telegram.waitFor((s) => {
      const answered = s.chatId === SLOW && s.text === MODEL_REPLY;
      if (answered) typingBeforeAnswer = typingFor(SLOW).length;
      return answered;
    });
    expect(typingBeforeAnswer).toBe(1);
  });

  it('is not sent for an answer that comes at once', async () => {
    // The offline assistant (no provider) answers in milliseconds.
    const offlineTelegram = await createTelegramFake();
    const offline = await startTestSwitchboard({
      TELEGRAM_BOT_TOKEN: offlineTelegram.token,
      TELEGRAM_API_ROOT: offlineTelegram.apiRoot,
    });
    try {
      offlineTelegram.pushUpdate(privateMessage('How do I reset my password?', FAST, 11));
      await offlineTelegram.waitFor((s) => s.chatId === FAST && /Source:/.test(s.text));
      const typing = offlineTelegram.methods.chatActions.items.filter((a) => a.chatId === FAST);
      expect(typing).toHaveLength(0);
    } finally {
      await offline.stop();
      await offlineTelegram.close();
    }
  });
});
