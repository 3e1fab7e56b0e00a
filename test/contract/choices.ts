import type {
  AdapterHooks,
  ChannelAdapter,
  Choice,
  InboundMessage,
  Platform,
} from '../../src/types/index.ts';
import { Recorder } from '../fakes/recorder.ts';

/**
 * Buttons under a message (the customer's rating after a resolution), for the choices
 * contract (choices.test.ts). A harness knows how its platform shows buttons and how a
 * customer presses one, through the platform's fake and the real SDK. Platforms without
 * buttons have no harness here.
 */
export interface ChoiceHarness {
  readonly platform: Platform;
  /** Starts the fake and the adapter with `hooks` (no engine: the suite watches the hooks). */
  start(hooks: AdapterHooks): Promise<ChoicePlatform>;
}

export interface ChoicePlatform {
  readonly adapter: ChannelAdapter;
  /**
   * A customer writes a text message; resolves with the conversation it must land in (the
   * one a press there must land in too).
   */
  customerWrites(text: string): Promise<string>;
  /** The buttons under the bot's latest message in the conversation, as they are now. */
  buttons(conversationId: string): Promise<Choice[]>;
  /**
   * The customer presses the button labelled `label` under the latest message that was sent
   * with buttons; `redeliver` makes
   * the platform deliver the very same press again, its own way.
   */
  press(conversationId: string, label: string): Promise<{ redeliver(): Promise<void> }>;
  stop(): Promise<void>;
}

/** The rating the engine sends: labels 1-5, values opaque, ASCII, at most 60 characters. */
export const RATING: Choice[] = [1, 2, 3, 4, 5].map((n) => ({
  label: String(n),
  value: `rate.v1.c7Qk2.${n}.Zx81mPq0aT3nWbV5yR`,
}));

/** The text the rating goes out with: it says how to answer without the buttons. */
export const RATING_ASK = 'How did we do? Press a number, or reply with 1 (poor) to 5 (great).';

/**
 * Hooks standing in for the engine: they record every message handed over and, like the
 * engine's dedupe, answer `false` for a message id seen before. `state.fail` makes the next
 * handle throw, as a locked store would.
 */
export function engineStub() {
  const handled = new Recorder<InboundMessage>('handed to the engine');
  const seen = new Set<string>();
  const state = { fail: false };
  const hooks: AdapterHooks = {
    async handle(msg) {
      if (state.fail) {
        state.fail = false;
        throw new Error('the store is locked');
      }
      handled.push(msg);
      if (seen.has(msg.messageId)) return false;
      seen.add(msg.messageId);
      return true;
    },
    conversation: () => undefined,
  };
  /** The presses handed over, redeliveries included. */
  const presses = () => handled.items.filter((m) => m.choice !== undefined);
  return { hooks, handled, presses, state };
}
