import type { Switchboard } from '../../src/main.ts';
import {
  type BlockActionOptions,
  buildBlockActions,
  type FakeSlack,
  postSignedEvent,
  postSignedInteraction,
  type RecordedMessage,
  type SlackEventCallback,
  startFakeSlack,
} from '../fakes/slack/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';

export const SIGNING_SECRET = 'switchboard-test-signing-secret';

export type SlackMode = 'http' | 'socket';

/** A Switchboard with Slack on, talking to a fake Slack in one of the two modes. */
export interface SlackWorld {
  mode: SlackMode;
  fake: FakeSlack;
  sb: Switchboard;
  /** Delivers an Events API body the way the mode does; resolves with the ack time in ms. */
  deliver(event: SlackEventCallback, retry?: number): Promise<number>;
  /** Clicks a button; resolves with the ack time in ms. */
  click(options: BlockActionOptions): Promise<number>;
  /**
   * Delivers any interactivity payload (block_actions, view_submission); resolves with the
   * ack's time and its body (e.g. a view_submission's `response_action: 'errors'`).
   */
  interact(payload: unknown): Promise<{ ackMs: number; body: unknown }>;
  stop(): Promise<void>;
}

/**
 * Starts a fake Slack, then the real Switchboard pointed at it (`SLACK_API_URL`), in HTTP
 * mode (signing secret, events at `/slack/events`) or Socket Mode (app token).
 */
export async function startSlackWorld(
  mode: SlackMode,
  env: Record<string, string> = {},
): Promise<SlackWorld> {
  const fake = await startFakeSlack();
  let sb: Switchboard;
  try {
    sb = await startTestSwitchboard({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_AGENT_CHANNEL: fake.ids.agentChannel,
      SLACK_API_URL: fake.apiUrl,
      ...(mode === 'http'
        ? { SLACK_SIGNING_SECRET: SIGNING_SECRET }
        : { SLACK_APP_TOKEN: fake.appToken }),
      ...env,
    });
  } catch (error) {
    await fake.close();
    throw error;
  }
  const url = `${sb.url}/slack/events`;
  const signed = { signingSecret: SIGNING_SECRET };
  const interact = async (payload: unknown) => {
    if (mode === 'socket') {
      const ack = await fake.socket.sendInteractive(payload);
      return { ackMs: ack.ackMs, body: ack.payload };
    }
    const res = await postSignedInteraction(url, payload, signed);
    if (res.status !== 200) throw new Error(`interactivity answered ${res.status}`);
    return { ackMs: res.elapsedMs, body: res.body ? (JSON.parse(res.body) as unknown) : {} };
  };
  return {
    mode,
    fake,
    sb,
    async deliver(event, retry = 0) {
      if (mode === 'socket') {
        const ack = await fake.socket.sendEvent(event, {
          retryAttempt: retry,
          ...(retry ? { retryReason: 'timeout' } : {}),
        });
        return ack.ackMs;
      }
      const res = await postSignedEvent(url, event, {
        ...signed,
        ...(retry ? { retry: { num: retry, reason: 'http_timeout' } } : {}),
      });
      if (res.status !== 200) throw new Error(`events endpoint answered ${res.status}`);
      return res.elapsedMs;
    },
    async click(options) {
      const payload = buildBlockActions({ responseUrl: fake.responseUrl(), ...options });
      return (await interact(payload)).ackMs;
    },
    interact,
    async stop() {
      await sb.stop();
      await fake.close();
    },
  };
}

/** The text of a post, blocks included, for matching. */
export function textOf(post: RecordedMessage): string {
  return `${post.text ?? ''}\n${JSON.stringify(post.blocks ?? [])}`;
}

/** The ids of the buttons on a post. */
export function buttonsOf(post: RecordedMessage): string[] {
  return [...textOf(post).matchAll(/"action_id":"([a-z0-9_]+)"/g)].map((m) => m[1] as string);
}

/** Waits until `check` returns a value (polling), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  label: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
