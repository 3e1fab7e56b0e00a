import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { createDiscordAdapter } from '../bots/discord/index.ts';
import { digestPosts } from '../bots/slack/blocks.ts';
import { createSlackAdapter } from '../bots/slack/index.ts';
import { createTelegramAdapter } from '../bots/telegram/index.ts';
import { createWebAdapter } from '../bots/web/index.ts';
import { resolveAdminToken } from '../config/admin-token.ts';
import { type Config, ConfigError, loadConfigFromEnvironment } from '../config/index.ts';
import { createModelAreaChooser } from './ai/choose-area.ts';
import { createModelAssistant } from './ai/model-assistant.ts';
import { createOfflineClusterEmbedder, createOfflineEmbedder } from './ai/offline-embedder.ts';
import { createOpenAIClient } from './ai/openai-client.ts';
import { createOpenAIEmbedder } from './ai/openai-embedder.ts';
import type { Embedder } from './ai/types.ts';
import { withOfflineFallback } from './ai/with-fallback.ts';
import { createModelTitleWriter } from './ai/write-title.ts';
import { createChannels } from './engine/channels.ts';
import { Engine } from './engine/conversation/engine.ts';
import { createKnowledgeBase } from './engine/knowledge/knowledge-base.ts';
import { createRetriever } from './engine/knowledge/retriever.ts';
import { createSectionCatalog } from './engine/knowledge/sections.ts';
import { createOfflineAssistant } from './engine/offline/assistant.ts';
import { createNormalizer, createTriage, type Triage } from './engine/triage/index.ts';
import { createWebhookDispatcher } from './engine/webhooks/dispatcher.ts';
import { knowledgeRoutes } from './http/api/knowledge.ts';
import { statsRoutes } from './http/api/stats.ts';
import { consoleStream, createConsoleFeed } from './http/api/stream.ts';
import { triageRoutes } from './http/api/triage.ts';
import { webhookRoutes } from './http/api/webhooks.ts';
import { createApp, listen } from './http/app.ts';
import { bearerAuth } from './http/errors.ts';
import { createLogger, createProcessLogger, type Logger } from './log.ts';
import { createMetrics, registerEngineMetrics, registerNormalizerMetrics } from './metrics.ts';
import { createStore, type Store } from './store/index.ts';
import type { Assistant } from './types/index.ts';

/** A running Switchboard: what tests and the CLI hold on to. */
export interface Switchboard {
  config: Readonly<Config>;
  store: Store;
  engine: Engine;
  triage: Triage;
  adminToken: string;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  /** Resolves once knowledge is ingested and the embedder is warm (health turns 200). */
  ready: Promise<void>;
  /**
   * Shuts down gracefully: refuses new requests (503, `Retry-After`), stops the channels,
   * lets accepted turns and webhook attempts finish for at most `graceMs` (default 10 s),
   * then closes the server and the store.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** How long a shutdown waits for turns in flight. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Whether `work` settled within `ms`. */
async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return settled;
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
    logger.info(`generated an admin token (shown once): ${admin.token}`);
  }

  const ai = config.ai;
  const client = ai.apiKey
    ? createOpenAIClient({ apiKey: ai.apiKey, baseURL: ai.baseURL, timeoutMs: ai.timeoutMs })
    : undefined;
  const provided =
    options.embedder ??
    (client && ai.embeddingModel
      ? createOpenAIEmbedder({ client, model: ai.embeddingModel, logger })
      : undefined);
  // Answers and product areas use word vectors; clustering adds character trigrams to them.
  const embedder = provided ?? createOfflineEmbedder();
  const clusterEmbedder = provided ?? createOfflineClusterEmbedder(embedder);
  const offline = createOfflineAssistant(embedder);
  const assistant: Assistant = client
    ? withOfflineFallback(
        createModelAssistant({
          client,
          model: ai.model,
          ...(ai.fallbackModel ? { fallbackModel: ai.fallbackModel } : {}),
          timeoutMs: ai.timeoutMs,
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
  // After each commit that wrote outbox events: deliver them, and show them in the console.
  const consoleFeed = createConsoleFeed(store.events);
  const kick = () => {
    dispatcher?.kick();
    consoleFeed.notify();
  };

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
          deskActions: () => engine.desk,
          markFixed: (clusterId, agent) =>
            triage.resolve(clusterId, { actor: agent.name, notifyReporters: true }),
        });
  const web = createWebAdapter({ adminToken: admin.token, deskActions: () => engine.desk });

  // The doc sections, shared by answers (retrieval) and tickets (product areas).
  const sections = createSectionCatalog({
    store,
    embedder,
    knowledgeDir: config.knowledgeDir,
    logger,
  });
  const normalizer = createNormalizer({
    store,
    embedder,
    catalog: sections,
    knowledgeDir: config.knowledgeDir,
    chooser: client
      ? createModelAreaChooser({ client, model: ai.model, timeoutMs: ai.timeoutMs, logger })
      : undefined,
    logger,
  });
  registerNormalizerMetrics(metrics.registry, () => normalizer.stats());
  const triage = createTriage({
    store,
    normalizer,
    embedder: clusterEmbedder,
    notify: (conversationId, text) => engine.notify(conversationId, text),
    onCommit: kick,
    schedule: config.digest,
    ...(slack?.desk.postDigest ? { postDigest: slack.desk.postDigest } : {}),
    titleWriter: client
      ? createModelTitleWriter({ client, model: ai.model, timeoutMs: ai.timeoutMs, logger })
      : undefined,
    logger,
  });
  // The one way the docs are (re)indexed: at startup and from the admin API, one at a time.
  const knowledge = createKnowledgeBase({ dir: config.knowledgeDir, store, embedder, logger });
  const handoffSlaMs = config.handoffSlaMinutes * 60_000;
  const engine = new Engine({
    store,
    assistant,
    retriever: createRetriever(store, embedder, sections),
    desk: slack && config.slack.agentChannel ? slack.desk : web.desk,
    triage,
    logger,
    sessionTtlMs: config.sessionTtlHours * 3_600_000,
    handoffSlaMs,
    onCommit: kick,
    rateLimits: config.rateLimits,
    observer: registerEngineMetrics(metrics.registry),
    signingKey: admin.token,
  });

  // Discord and Telegram community bots: registered now, started once docs are indexed.
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

  const channels = createChannels({ configured: config.channels, engine, logger });
  await channels.startRequired(web);
  // A Slack that rejects its tokens stops startup with the fix: the agent desk depends on it.
  if (slack) await channels.startRequired(slack);
  for (const adapter of community) channels.add(adapter);

  dispatcher?.start();
  engine.start();
  triage.start();

  let isReady = false;
  const api = Router()
    .use(bearerAuth(admin.token))
    .use(
      webhookRoutes({
        webhooks: store.webhooks,
        dispatcher: dispatcher ?? { kick() {}, replayEvent: () => undefined },
      }),
    )
    .use(
      triageRoutes({
        store,
        triage,
        digest: config.digest,
        slackDigest: (digest) => digestPosts(digest),
      }),
    )
    .use(statsRoutes({ store, handoffSlaMs }))
    .use(knowledgeRoutes({ knowledge, isReady: () => isReady }))
    .use(consoleStream(consoleFeed));
  let draining = false;
  const app = createApp({
    logger,
    draining: () => draining,
    ...(slack?.router ? { rawRoutes: [slack.router] } : {}),
    isReady: () => isReady,
    channels: () => channels.status(),
    routes: [web.router, ...(telegram?.router ? [telegram.router] : [])],
    api,
    metrics: metrics.registry,
  });
  const server = await listen(app, config.port, config.host);
  const address = server.address();
  const url = `http://${config.host}:${typeof address === 'object' && address ? address.port : config.port}`;
  logger.info(
    `Switchboard listening on ${url} (chat: ${url}/, desk: ${url}/desk, console: ${url}/console)`,
  );
  logger.info(
    admin.file
      ? `admin token (for the desk and /api): in ${admin.file}`
      : 'admin token (for the desk and /api): the ADMIN_TOKEN variable',
  );
  channels.logConfigured();
  logger.info(
    { assistant: assistant.name, embedder: embedder.name },
    `AI: ${assistant.name === 'offline' ? 'offline assistant (no OPENAI_API_KEY)' : assistant.name}; embeddings: ${embedder.name}`,
  );
  logger.info(
    { dataDir: config.dataDir, knowledgeDir: config.knowledgeDir },
    `data: ${config.databaseFile}`,
  );

  const ready = (async () => {
    await Promise.all([embedder.init(), clusterEmbedder.init()]);
    store.prepareVectors(embedder, clusterEmbedder);
    await knowledge.reindex();
    await channels.startOptional(community);
    const recovered = engine.recoverPending();
    if (recovered) logger.info({ recovered }, 'answering messages left unanswered by the last run');
    const owed = engine.redeliver();
    if (owed) logger.info({ owed }, 'sending replies the last run stored but could not send');
    isReady = true;
    logger.info({ url }, 'ready');
  })();
  ready.catch((error: unknown) => logger.error({ err: error }, 'startup failed'));

  return {
    config,
    store,
    engine,
    triage,
    adminToken: admin.token,
    url,
    ready,
    async stop({ graceMs = SHUTDOWN_GRACE_MS } = {}) {
      // New messages are refused with a retryable 503 from here on; what was accepted is
      // answered, for at most `graceMs`. A turn still running then is answered at the next
      // start (its message is committed and unanswered).
      draining = true;
      engine.stop();
      triage.stop();
      const deadline = Date.now() + graceMs;
      await ready.catch(() => undefined);
      let finished = await within(graceMs, engine.idle());
      await channels.stop();
      // A gateway channel may have taken a last message while the others stopped.
      if (finished) finished = await within(Math.max(0, deadline - Date.now()), engine.idle());
      if (!finished) {
        logger.warn({ graceMs }, 'turns still running at shutdown; answered at the next start');
      }
      await dispatcher?.stop({ graceMs: Math.min(graceMs, 5_000) });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfigFromEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Switchboard cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createProcessLogger(config.logLevel);
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
