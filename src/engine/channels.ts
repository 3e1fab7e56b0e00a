import type { Logger } from '../log.ts';
import type { AdapterHooks, ChannelAdapter } from '../types/index.ts';

/** Whether a channel is configured, and why (or why not): `config.channels`. */
export type ConfiguredChannels = Readonly<Record<string, { enabled: boolean; reason: string }>>;

/** The channels of a running Switchboard: starting them, and what `/health` shows of each. */
export interface Channels {
  /** Each channel's state: `on`, `starting`, `off (why)` or `failed (why)`. */
  status(): Readonly<Record<string, string>>;
  /** Registers an adapter with the engine, so replies reach its platform from now on. */
  add(adapter: ChannelAdapter): void;
  /** Starts an adapter whose failure must stop startup (the web chat; Slack, the agent desk). */
  startRequired(adapter: ChannelAdapter): Promise<void>;
  /**
   * Starts community channels together. One that cannot connect is logged with the reason
   * and shown as failed; the others run.
   */
  startOptional(adapters: readonly ChannelAdapter[]): Promise<void>;
  /** Stops every started adapter, in reverse order. */
  stop(): Promise<void>;
  /** Logs which channels are configured and why the others are off. */
  logConfigured(): void;
}

/** The channel set; `engine` registers adapters and gives each its hooks. */
export function createChannels(deps: {
  configured: ConfiguredChannels;
  engine: { register(adapter: ChannelAdapter): void; readonly hooks: AdapterHooks };
  logger: Logger;
}): Channels {
  const { configured, engine, logger } = deps;
  const state: Record<string, string> = Object.fromEntries(
    Object.entries(configured).map(([name, s]) => [
      name,
      s.enabled ? 'starting' : `off (${s.reason})`,
    ]),
  );
  const started: ChannelAdapter[] = [];

  const start = async (adapter: ChannelAdapter) => {
    engine.register(adapter);
    await adapter.start(engine.hooks);
    started.push(adapter);
    state[adapter.platform] = 'on';
  };

  return {
    status: () => state,
    add: (adapter) => engine.register(adapter),
    startRequired: start,
    async startOptional(adapters) {
      await Promise.all(
        adapters.map((adapter) =>
          start(adapter).catch((error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            state[adapter.platform] = `failed (${reason})`;
            logger.error({ err: error }, `channel ${adapter.platform}: could not start: ${reason}`);
          }),
        ),
      );
    },
    async stop() {
      for (const adapter of started.splice(0).reverse()) await adapter.stop();
    },
    logConfigured() {
      for (const [name, s] of Object.entries(configured)) {
        logger.info(
          { channel: name, enabled: s.enabled },
          `channel ${name}: ${s.enabled ? 'on' : 'off'} (${s.reason})`,
        );
      }
    },
  };
}
