/**
 * The fake workspace: users, channels, messages, and a log of every Web API call.
 * Shared by the Web API and Socket Mode halves of the fake.
 */

/** Ids shared by the fake workspace and the fixtures in `test/fixtures/slack/`. */
export const FAKE_IDS = {
  teamId: 'T07SWBOARD',
  appId: 'A07SWAPP01',
  botUserId: 'U07SWBOT01',
  botId: 'B07SWBOT01',
  customerId: 'U07CUST0001',
  agentId: 'U07AGNT0001',
  agentChannel: 'C07AGENTS01',
  communityChannel: 'C07COMMUNITY',
  customerDm: 'D07DMCUST01',
} as const;

/** A workspace member, as `users.info` returns it (trimmed). */
export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  is_bot?: boolean;
}

/** A conversation. `members` drives `conversations.members` and `not_in_channel`. */
export interface FakeChannel {
  id: string;
  name: string;
  is_im: boolean;
  is_private: boolean;
  members: string[];
  /** For a DM: the other member. */
  user?: string;
}

/** One Web API request as the fake saw it, whatever the outcome. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
  /** `'ok'`, a Slack error code, `'ratelimited'` or `'dropped'`. */
  outcome: string;
}

/** A message the bot posted, updated or sent ephemerally. */
export interface RecordedMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  thread_ts: string | undefined;
  blocks: unknown[] | undefined;
  /** The ephemeral recipient, for `chat.postEphemeral`. */
  user: string | undefined;
  args: Record<string, unknown>;
  at: number;
}

/** A modal the app opened with `views.open`. */
export interface RecordedView {
  /** The id the fake gave it (`V…`), as a later `view_submission` carries it. */
  id: string;
  triggerId: string;
  /** The view as the app sent it (callback_id, private_metadata, blocks, ...). */
  view: Record<string, unknown>;
  at: number;
}

/** A POST the app made to a `response_url` (Bolt's `respond()`). */
export interface RecordedResponse {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

/** What a failure rule makes the fake do instead of answering. */
export interface FailureRule {
  /** A Slack error code, `'ratelimited'` (HTTP 429) or `'drop'` (socket destroyed). */
  error: string;
  remaining: number;
  retryAfterSec: number;
}

/** Options for `failNext`. */
export interface FailureOptions {
  /** How many calls fail; `Number.POSITIVE_INFINITY` until `clearFailures()`. Default 1. */
  times?: number;
  /** `Retry-After` seconds for `'ratelimited'`. Default 1. */
  retryAfterSec?: number;
}

/** In-memory workspace state plus the inspectable logs. */
export class SlackState {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, RecordedMessage>();
  readonly callLog: RecordedCall[] = [];
  readonly posts: RecordedMessage[] = [];
  readonly updates: RecordedMessage[] = [];
  readonly ephemerals: RecordedMessage[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly views: RecordedView[] = [];
  private readonly failures = new Map<string, FailureRule[]>();
  private readonly listeners = new Set<() => void>();
  private lastTs = 0;

  constructor() {
    const { botUserId, customerId, agentId } = FAKE_IDS;
    this.addUser({ id: botUserId, name: 'switchboard', real_name: 'Switchboard', is_bot: true });
    this.addUser({ id: customerId, name: 'dana', real_name: 'Dana Customer' });
    this.addUser({ id: agentId, name: 'alex.agent', real_name: 'Alex Agent' });
    this.addChannel({
      id: FAKE_IDS.agentChannel,
      name: 'support-desk',
      members: [botUserId, agentId],
    });
    this.addChannel({
      id: FAKE_IDS.communityChannel,
      name: 'community',
      members: [botUserId, customerId],
    });
    this.openDm(customerId, FAKE_IDS.customerDm);
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  addChannel(channel: Partial<FakeChannel> & { id: string }): FakeChannel {
    const full: FakeChannel = {
      name: channel.id.toLowerCase(),
      is_im: channel.id.startsWith('D'),
      is_private: false,
      members: [],
      ...channel,
    };
    this.channels.set(full.id, full);
    return full;
  }

  /** The DM channel between the bot and `userId`, created on first use (like Slack). */
  openDm(userId: string, id = `D${userId.slice(1)}`): FakeChannel {
    const existing = [...this.channels.values()].find((c) => c.is_im && c.user === userId);
    if (existing) return existing;
    const members = [FAKE_IDS.botUserId, userId];
    return this.addChannel({ id, name: id, is_im: true, is_private: true, members, user: userId });
  }

  /** A fresh, strictly increasing message timestamp in Slack's `seconds.micros` form. */
  nextTs(): string {
    const nowMicros = Date.now() * 1000;
    this.lastTs = Math.max(this.lastTs + 1, nowMicros);
    const s = Math.floor(this.lastTs / 1e6);
    return `${s}.${String(this.lastTs % 1e6).padStart(6, '0')}`;
  }

  failNext(method: string, error: string, options: FailureOptions = {}): void {
    const rules = this.failures.get(method) ?? [];
    rules.push({ error, remaining: options.times ?? 1, retryAfterSec: options.retryAfterSec ?? 1 });
    this.failures.set(method, rules);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  /** Consumes one use of the first failure rule for `method`, if any. */
  takeFailure(method: string): FailureRule | undefined {
    const rules = this.failures.get(method);
    const rule = rules?.[0];
    if (!rules || !rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) rules.shift();
    return rule;
  }

  record<T>(log: T[], entry: T): T {
    log.push(entry);
    for (const listener of this.listeners) listener();
    return entry;
  }

  /** Resolves with the first value `find` returns, re-checking after every record. */
  waitUntil<T>(find: () => T | undefined, timeoutMs: number, label: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = find();
        if (found === undefined) return false;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`fake Slack: timed out after ${timeoutMs} ms waiting for ${label}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Clears the logs and failure rules; users and channels stay. */
  reset(): void {
    const logs = [this.callLog, this.posts, this.updates, this.ephemerals, this.responses];
    for (const log of [...logs, this.views]) log.length = 0;
    this.messages.clear();
    this.failures.clear();
  }
}
