import type { App } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';
import { slackCall } from './errors.ts';

type Client = App['client'];

/** A workspace member as the desk shows and identifies them. */
export interface SlackPerson {
  id: string;
  name: string;
  isBot: boolean;
}

const PERSON_TTL_MS = 60 * 60_000;

/**
 * Who is who in the workspace: display names (`users.info`, cached for an hour) and
 * channel membership (`conversations.members`, always fresh, since it decides who may claim).
 */
export class SlackDirectory {
  private readonly people = new Map<string, { person: SlackPerson; at: number }>();

  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  /** The member's display name (falling back to the real name, then the id). Never throws. */
  async person(userId: string): Promise<SlackPerson> {
    const cached = this.people.get(userId);
    if (cached && Date.now() - cached.at < PERSON_TTL_MS) return cached.person;
    try {
      const { user } = await slackCall('users.info', this.logger, () =>
        this.client.users.info({ user: userId }),
      );
      const name =
        user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
      const person = { id: userId, name: name || userId, isBot: user?.is_bot === true };
      this.people.set(userId, { person, at: Date.now() });
      return person;
    } catch {
      return { id: userId, name: userId, isBot: false };
    }
  }

  /** The cached name of a member, for rewriting `<@U…>` mentions without an API call. */
  cachedName(userId: string): string {
    return this.people.get(userId)?.person.name ?? userId;
  }

  /** Every member of a channel, following Slack's cursor pagination. */
  async members(channel: string): Promise<string[]> {
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await slackCall('conversations.members', this.logger, () =>
        this.client.conversations.members({
          channel,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        }),
      );
      all.push(...(page.members ?? []));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return all;
  }

  async isMember(channel: string, userId: string): Promise<boolean> {
    return (await this.members(channel)).includes(userId);
  }
}
