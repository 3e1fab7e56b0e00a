import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DiscordTarget, discordConversationId } from '../../bots/discord/ids.ts';
import { DISCORD_PERMISSIONS } from '../../bots/discord/index.ts';

describe('Discord conversation ids', () => {
  const targets: DiscordTarget[] = [
    { kind: 'dm', channelId: '1191655986167939082' },
    { kind: 'thread', threadId: '1262707309327548428' },
    { kind: 'channel', channelId: '1186247749927043080', userId: '1100000000000000001' },
  ];

  it('round-trips every kind of target', () => {
    for (const target of targets) {
      const id = discordConversationId.encode(target);
      expect(discordConversationId.decode(id)).toEqual(target);
    }
    expect(targets.map((t) => discordConversationId.encode(t))).toEqual([
      'discord:dm:1191655986167939082',
      'discord:1262707309327548428',
      'discord:1186247749927043080:1100000000000000001',
    ]);
  });

  it('names the channel each conversation posts in', () => {
    expect(targets.map((t) => discordConversationId.channelOf(t))).toEqual([
      '1191655986167939082',
      '1262707309327548428',
      '1186247749927043080',
    ]);
  });

  it('rejects ids of other platforms and malformed ids', () => {
    for (const id of [
      'telegram:5123409876',
      'discord:',
      'discord:dm:',
      'discord:abc',
      'discord:1:2:3',
      'web:discord:1',
    ]) {
      expect(discordConversationId.decode(id)).toBeUndefined();
    }
  });
});

describe('the invite URL in docs/discord.md', () => {
  it('asks for exactly the permissions the adapter needs', () => {
    const docs = readFileSync(new URL('../../docs/discord.md', import.meta.url), 'utf8');
    expect(docs).toContain(`scope=bot&permissions=${DISCORD_PERMISSIONS}`);
  });
});
