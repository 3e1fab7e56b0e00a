import { describe, expect, it } from 'vitest';
import {
  type TelegramTarget,
  telegramConversationId,
  telegramMessageId,
} from '../../bots/telegram/ids.ts';

describe('Telegram conversation ids', () => {
  it('round-trips private chats, group members and forum topics', () => {
    const targets: TelegramTarget[] = [
      { kind: 'private', chatId: 5123409876 },
      { kind: 'group', chatId: -1001987654321, userId: 6234567012 },
      { kind: 'group', chatId: -1001987654321, userId: 6234567012, topicId: 17 },
    ];
    const ids = targets.map((t) => telegramConversationId.encode(t));
    expect(ids).toEqual([
      'telegram:5123409876',
      'telegram:-1001987654321:6234567012',
      'telegram:-1001987654321:6234567012:17',
    ]);
    expect(ids.map((id) => telegramConversationId.decode(id))).toEqual(targets);
  });

  it('rejects ids of other platforms and malformed ids', () => {
    for (const id of [
      'discord:123',
      'telegram:',
      'telegram:abc',
      'telegram:1:-2',
      'telegram:1:2:3:4',
      'telegram:99999999999999999999',
    ]) {
      expect(telegramConversationId.decode(id)).toBeUndefined();
    }
  });

  it('names a message by chat and message id, stable across redelivered updates', () => {
    expect(telegramMessageId(-1001987654321, 1203)).toBe('-1001987654321:1203');
  });
});
