import type { Switchboard } from '../../src/main.ts';
import type {
  AdapterHooks,
  ChannelAdapter,
  InboundMessage,
  Platform,
} from '../../src/types/index.ts';
import { Recorder } from '../fakes/recorder.ts';

/**
 * One adapter under the contract suite. A harness knows its platform: how a customer writes
 * there (through the platform's fake and the real SDK), what the customer then sees, and how
 * the platform refuses. The suite (adapters.test.ts) knows nothing platform-specific.
 */
export interface ContractHarness {
  readonly platform: Platform;
  /** Most characters in one platform message, as the platform counts them; none for web. */
  readonly limit: number | undefined;
  /** Whether the platform can refuse a send (the web chat cannot: replies are stored). */
  readonly refuses: boolean;
  /** Conversation ids of every shape the platform uses, for the round-trip test. */
  readonly sampleIds: readonly string[];
  /** Decodes and re-encodes an id with the platform's codec (bots/<platform>/ids.ts). */
  roundTrip(id: string): string | undefined;
  /** Starts the fake (if any) and the adapter, registered with `sb.engine`. */
  start(sb: Switchboard): Promise<ContractPlatform>;
}

/** A part of a reply as the customer received it. */
export interface SeenMessage {
  /** What the customer reads (HTML parsed away on Telegram). */
  text: string;
  /** What went over the wire (markdown on Discord, HTML on Telegram). */
  raw: string;
}

/** A way the platform refuses a send, and the error code the adapter must map it to. */
export interface Refusal {
  name: string;
  code: string;
  /** Makes the platform refuse the next send. */
  arrange(): void;
}

export interface ContractPlatform {
  readonly adapter: ChannelAdapter;
  /** Every message the adapter handed to the engine, and whether the engine accepted it. */
  readonly handled: Recorder<{ messageId: string; accepted: boolean }>;
  /** A customer writes `text`; resolves with the conversation id the message must land in. */
  customerWrites(text: string): Promise<{ conversationId: string; messageId: string }>;
  /** The platform delivers the same customer message twice, its own way. */
  customerWritesTwice(text: string): Promise<{ conversationId: string; messageId: string }>;
  /** Replies the customer received in the conversation, in order. */
  seen(conversationId: string): Promise<SeenMessage[]>;
  /** Checks a part is well-formed markup on its own (balanced fences or tags). */
  wellFormed(part: SeenMessage): boolean;
  /** Ways the platform refuses a send; empty when the adapter has no platform to fail. */
  readonly refusals: readonly Refusal[];
  stop(): Promise<void>;
}

/** Hooks that hand messages to the engine and record what the engine said. */
export function recordingHooks(sb: Switchboard): {
  hooks: AdapterHooks;
  handled: Recorder<{ messageId: string; accepted: boolean }>;
} {
  const handled = new Recorder<{ messageId: string; accepted: boolean }>('handled messages');
  return {
    handled,
    hooks: {
      conversation: (id) => sb.engine.hooks.conversation(id),
      async handle(msg: InboundMessage) {
        const accepted = await sb.engine.handle(msg);
        handled.push({ messageId: msg.messageId, accepted });
        return accepted;
      },
    },
  };
}
