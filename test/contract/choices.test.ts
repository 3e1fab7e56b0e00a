import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackChoiceHarness } from '../slack/contract-harness.ts';
import {
  type ChoiceHarness,
  type ChoicePlatform,
  engineStub,
  RATING,
  RATING_ASK,
} from './choices.ts';
import { discordChoiceHarness } from './discord.ts';
import { telegramChoiceHarness } from './telegram.ts';

/**
 * The choices contract: every adapter with buttons renders a message's choices, hands a
 * press to the engine as `{ text: label, choice: value }` in the conversation the customer's
 * text uses, with an id a redelivery repeats (the engine's dedupe drops it), and takes the
 * buttons away after. To add a platform (web chat, Slack), implement `ChoiceHarness` next to
 * its `ContractHarness` and list it here.
 */
const CHOICE_HARNESSES: ChoiceHarness[] = [
  telegramChoiceHarness,
  discordChoiceHarness,
  slackChoiceHarness,
];

describe.each(CHOICE_HARNESSES)('the $platform choices contract', (harness) => {
  const stub = engineStub();
  let platform: ChoicePlatform;

  beforeAll(async () => {
    platform = await harness.start(stub.hooks);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  async function ratingAsked(): Promise<string> {
    const conversationId = await platform.customerWrites('How do I reset my password?');
    await stub.handled.waitFor((m) => m.conversationId === conversationId, 5_000);
    await platform.adapter.send(conversationId, {
      text: RATING_ASK,
      from: 'bot',
      choices: RATING,
    });
    return conversationId;
  }

  it('shows a message’s choices as buttons with their labels and values', async () => {
    const conversationId = await ratingAsked();
    expect(await platform.buttons(conversationId)).toEqual(RATING);
  });

  it('hands a press over as the label and the value, in the customer’s conversation, once', async () => {
    const conversationId = await ratingAsked();
    const before = stub.presses().length;
    const press = await platform.press(conversationId, '4');
    const handed = await stub.handled.waitFor(
      (m) => m.choice !== undefined && m.conversationId === conversationId,
      5_000,
    );
    expect(handed).toMatchObject({
      platform: harness.platform,
      conversationId,
      text: '4',
      choice: RATING[3]?.value,
    });
    await expect.poll(() => platform.buttons(conversationId), { timeout: 5_000 }).toEqual([]);

    // The platform delivers the same press again: the adapter passes the same message id,
    // which the engine has seen, so it is not taken twice.
    await press.redeliver();
    await expect.poll(() => stub.presses().length - before, { timeout: 5_000 }).toBe(2);
    const [first, again] = stub.presses().slice(before);
    expect(again?.messageId).toBe(first?.messageId);
    expect(await platform.buttons(conversationId)).toEqual([]);
  });

  it('sends a message without choices with no buttons', async () => {
    const conversationId = await platform.customerWrites('Where do I find my invoices?');
    await stub.handled.waitFor((m) => m.conversationId === conversationId, 5_000);
    await platform.adapter.send(conversationId, { text: 'Under Billing.', from: 'bot' });
    expect(await platform.buttons(conversationId)).toEqual([]);
  });
});
