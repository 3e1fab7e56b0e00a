import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { createDiscordAdapter } from '../bots/discord/index.ts';
import { createSlackAdapter } from '../bots/slack/index.ts';
import { createTelegramAdapter } from '../bots/telegram/index.ts';
import { createWebAdapter, createWebDesk, webRoutes } from '../bots/web/index.ts';
import { resolveAdminToken } from '../config/admin-token.ts';
import { type Config, ConfigError, loadConfig } from '../config/index.ts';
import { createModelAreaChooser } from './ai/choose-area.ts';
import { createModelAssistant } from './ai/model-assistant.ts';
import { createOfflineEmbedder } from './ai/offline-embedder.ts';
import { createOpenAIClient } from './ai/openai-client.ts';
import { createOpenAIEmbedder } from './ai/openai-embedder.ts';
import type { Embedder } from './ai/types.ts';
import { withOfflineFallback } from './ai/with-fallback.ts';
import { notifyReporters } from './engine/cluster-notify.ts';
import {
  createClusterActions,
  DEFAULT_CLUSTER_SETTINGS,
  refreshImpacts,
} from './engine/clusters/index.ts';
import { createDigestScheduler } from './engine/digest-scheduler.ts';
import { Engine } from './engine/engine.ts';
import { createRetriever, ingestKnowledge } from './engine/knowledge.ts';
import { createNormalizer } from './engine/normalizer.ts';
import { createOfflineAssistant } from './engine/offline/assistant.ts';
import type { Assistant } from './engine/types.ts';
import { createWebhookDispatcher } from './engine/webhooks/dispatcher.ts';
import { triageRoutes } from './http/api/triage.ts';
import { webhookRoutes } from './http/api/webhooks.ts';
import { createApp } from './http/app.ts';
import { bearerAuth } from './http/errors.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics, registerNormalizerMetrics } from './metrics.ts';
import { createStore, type Store } from './store/index.ts';

/** A running Switchboard: what tests and the CLI hold on to. */
export interface Switchboard {
  config: Readonly<Config>;
  store: Store;
  engine: Engine;
  adminToken: string;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  /** Resolves once knowledge is ingested and the embedder is warm (health turns 200). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Replace the embedder (tests use a small one to keep suites fast). */
  embedder?: Embedder;
}

/**
 * The composition root: the only place config, store, AI, engine, adapters and HTTP are
 * wired together. The server listens first and reports 503 on /health until ready, so
 * the startup log appears at once even while the offline vectors convert on first run.
 */
export async function startSwitchboard(
  config: Readonly<Config>,
  options: StartOptions = {},
): Promise<Switchboard> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = createStore(config.databaseFile, {
    onCheckpointFailure: (error) =>
      logger.warn({ err: error }, 'background WAL checkpoint failed; commits checkpoint instead'),
  });
  const admin = resolveAdminToken(config.adminToken, config.dataDir);
  if (admin.generated) {
    logger.info({ file: admin.file }, `generated an admin token (shown once): ${admin.token}`);
  }

  const client = config.ai.apiKey
    ? createOpenAIClient({
        apiKey: config.ai.apiKey,
        baseURL: config.ai.baseURL,
        timeoutMs: config.ai.timeoutMs,
      })
    : undefined;
  const embedder =
    options.embedder ??
    (client && config.ai.embeddingModel
      ? createOpenAIEmbedder({ client, model: config.ai.embeddingModel, logger })
      : createOfflineEmbedder());
  const offline = createOfflineAssistant(embedder);
  const assistant: Assistant = client
    ? withOfflineFallback(
        createModelAssistant({
          client,
          model: config.ai.model,
          ...(config.ai.fallbackModel ? { fallbackModel: config.ai.fallbackModel } : {}),
          timeoutMs: config.ai.timeoutMs,
          logger,
        }),
        offline,
        logger,
      )
    : offline;

  const metrics = createMetrics();
  const dispatcher =
    config.webhooks.urls.length > 0 && config.webhooks.secret
      ? createWebhookDispatcher({
          store: store.webhooks,
          endpoints: config.webhooks.urls,
          secret: config.webhooks.secret,
          retryScheduleMs: config.webhooks.retryScheduleMs,
          logger,
          metrics,
        })
      : undefined;
  dispatcher?.start();

  const clusterActions = createClusterActions(store);
  const notify = (conversationId: string, text: string) => engine.notify(conversationId, text);
  // Slack: customers in Slack, and the agent desk in SLACK_AGENT_CHANNEL (else the web desk).
  const slack =
    config.slack.mode === 'off' || !config.slack.botToken
      ? undefined
      : createSlackAdapter({
          botToken: config.slack.botToken,
          appToken: config.slack.mode === 'socket' ? config.slack.appToken : undefined,
          signingSecret: config.slack.signingSecret,
          agentChannel: config.slack.agentChannel,
          digestChannel: config.slack.digestChannel,
          apiUrl: config.slack.apiUrl,
          slaMinutes: config.handoffSlaMinutes,
          autoAssign: config.slack.autoAssign,
          logger,
          store,
          deskActions: () => engine.desk,
          // "Mark fixed" on the digest: resolve the cluster (one transaction with its
          // cluster.resolved event), then tell every reporter on their own platform.
          markFixed: async (clusterId, agent) => {
            store.transaction(() =>
              clusterActions.resolve(clusterId, { actor: agent.name, notifyReporters: true }),
            );
            dispatcher?.kick();
            return notifyReporters(store, notify, clusterId);
          },
        });
  // Product areas and canonical phrases for tickets; unclear matches go to the model, if any.
  const normalizer = createNormalizer({
    store,
    embedder,
    knowledgeDir: config.knowledgeDir,
    chooser: client
      ? createModelAreaChooser({
          client,
          model: config.ai.model,
          timeoutMs: config.ai.timeoutMs,
          logger,
        })
      : undefined,
    logger,
  });
  registerNormalizerMetrics(metrics.registry, () => normalizer.stats());
  const engine = new Engine({
    store,
    assistant,
    retriever: createRetriever(store, embedder),
    desk: slack && config.slack.agentChannel ? slack.desk : createWebDesk(),
    logger,
    sessionTtlMs: config.sessionTtlHours * 3_600_000,
    handoffSlaMs: config.handoffSlaMinutes * 60_000,
    onCommit: () => dispatcher?.kick(),
    triage: { normalizer, embedder, clusters: DEFAULT_CLUSTER_SETTINGS },
  });
  // What /health shows per channel: configured off, starting, on, or failed to connect.
  const channelStatus: Record<string, string> = Object.fromEntries(
    Object.entries(config.channels).map(([name, s]) => [
      name,
      s.enabled ? 'starting' : `off (${s.reason})`,
    ]),
  );
  // Each adapter logs who it connected as; this is what /health reports.
  const connected = (platform: string) => {
    channelStatus[platform] = 'on';
  };
  const web = createWebAdapter();
  engine.register(web);
  await web.start({ handle: (m) => engine.handle(m) });
  connected('web');
  if (slack) {
    engine.register(slack);
    // A Slack that rejects its tokens stops startup with the fix: the agent desk depends on it.
    await slack.start({ handle: (m) => engine.handle(m) });
    connected('slack');
  }
  // Discord and Telegram community bots: registered now, started in `ready` once docs are indexed.
  const discord = config.discord.botToken
    ? createDiscordAdapter({
        botToken: config.discord.botToken,
        apiUrl: config.discord.apiUrl,
        logger,
      })
    : undefined;
  const telegram =
    config.telegram.mode === 'off' || !config.telegram.botToken
      ? undefined
      : createTelegramAdapter({
          botToken: config.telegram.botToken,
          apiRoot: config.telegram.apiRoot,
          mode: config.telegram.mode,
          webhook:
            config.telegram.mode === 'webhook' && config.publicUrl && config.telegram.webhookSecret
              ? { publicUrl: config.publicUrl, secretToken: config.telegram.webhookSecret }
              : undefined,
          logger,
        });
  const community = [discord, telegram].filter((adapter) => adapter !== undefined);
  for (const adapter of community) engine.register(adapter);

  let isReady = false;
  const api = Router();
  api.use(bearerAuth(admin.token));
  api.use(
    webhookRoutes({
      webhooks: store.webhooks,
      dispatcher: dispatcher ?? { kick() {}, replayEvent: () => undefined },
    }),
  );
  // Triage surface: clusters, tickets, overview and digest under /api, and the digest schedule.
  api.use(
    triageRoutes({
      store,
      clusterActions,
      notify,
      digest: config.digest,
      onCommit: () => dispatcher?.kick(),
    }),
  );
  const digestSchedule = createDigestScheduler({
    store,
    ...config.digest,
    logger,
    onDigest: (digest) => {
      dispatcher?.kick();
      slack?.desk.postDigest?.(digest).catch((e: unknown) => {
        logger.warn({ err: e }, 'digest post to Slack failed');
      });
    },
  });
  digestSchedule.start();
  const app = createApp({
    logger,
    isReady: () => isReady,
    channels: () => channelStatus,
    routes: [
      webRoutes({ engine, store, adminToken: admin.token }),
      ...(telegram?.router ? [telegram.router] : []),
    ],
    api,
    metrics: metrics.registry,
  });
  // Bolt checks Slack's signature over the raw body, so its router runs before the JSON parser.
  const root = slack?.router ? express().disable('x-powered-by').use(slack.router, app) : app;
  const server = await listen(root, config.port, config.host);
  const address = server.address();
  const url = `http://${config.host}:${typeof address === 'object' && address ? address.port : config.port}`;
  logStartup(logger, config, url, assistant, embedder);

  const ready = (async () => {
    await embedder.init();
    store.prepareVectors(embedder.name, embedder.dimensions);
    await ingestKnowledge(config.knowledgeDir, store, embedder, logger);
    // A channel that cannot connect is logged and left off; the others run.
    await Promise.all(
      community.map((adapter) =>
        adapter.start({ handle: (m) => engine.handle(m) }).then(
          () => connected(adapter.platform),
          (error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            channelStatus[adapter.platform] = `failed (${reason})`;
            logger.error({ err: error }, `channel ${adapter.platform}: could not start: ${reason}`);
          },
        ),
      ),
    );
    const recovered = engine.recoverPending();
    if (recovered) logger.info({ recovered }, 'answering messages left unanswered by the last run');
    isReady = true;
    logger.info({ url }, 'ready');
  })();
  ready.catch((error: unknown) => logger.error({ err: error }, 'startup failed'));

  const timers = [
    setInterval(
      () =>
        void engine
          .announceDueHandoffs()
          .catch((e: unknown) => logger.warn({ err: e }, 'handoff sweep failed')),
      30_000,
    ),
    setInterval(() => {
      store.conversations.expire();
      store.conversations.pruneInbound(7 * 86_400_000);
      // Impact decays with time; re-score so quiet clusters sink in the ranking.
      refreshImpacts(store, Date.now());
    }, 3_600_000),
  ];
  for (const t of timers) t.unref();

  return {
    config,
    store,
    engine,
    adminToken: admin.token,
    url,
    ready,
    async stop() {
      for (const t of timers) clearInterval(t);
      digestSchedule.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await web.stop();
      await slack?.stop();
      await ready.catch(() => undefined);
      await engine.idle();
      await Promise.all(community.map((adapter) => adapter.stop()));
      await dispatcher?.stop();
      await store.close();
    },
  };
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', reject);
  });
}

function logStartup(
  logger: Logger,
  config: Readonly<Config>,
  url: string,
  assistant: Assistant,
  embedder: Embedder,
): void {
  logger.info(`Switchboard listening on ${url} (chat: ${url}/, desk: ${url}/desk)`);
  for (const [name, state] of Object.entries(config.channels)) {
    logger.info(
      { channel: name, enabled: state.enabled },
      `channel ${name}: ${state.enabled ? 'on' : 'off'} (${state.reason})`,
    );
  }
  logger.info(
    { assistant: assistant.name, embedder: embedder.name },
    `AI: ${assistant.name === 'offline' ? 'offline assistant (no OPENAI_API_KEY)' : assistant.name}; embeddings: ${embedder.name}`,
  );
  logger.info(
    { dataDir: config.dataDir, knowledgeDir: config.knowledgeDir },
    `data: ${config.databaseFile}`,
  );
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Switchboard cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const sb = await startSwitchboard(config, { logger }).catch((error: unknown) => {
    const e = error as NodeJS.ErrnoException;
    const hint =
      e.code === 'EADDRINUSE' ? ` Port ${config.port} is in use: set PORT to a free port.` : '';
    logger.fatal({ err: error }, `Switchboard cannot start.${hint}`);
    process.exit(1);
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    void sb.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void main();
