/**
 * The process that crashes, for crash.test.ts. It opens the store, starts a dispatcher
 * (as src/main.ts does), commits one ticket.created event and then dies:
 * - `exit`: process.exit right after the commit, before any request is sent;
 * - `hang`: keeps running so the test can SIGKILL it while the requests are in flight.
 * Prints the event id on stdout. Usage: crash-child.ts <db-file> <exit|hang> <url>...
 * with WEBHOOK_SECRET in the environment.
 */
import { createWebhookDispatcher } from '../../src/engine/webhooks/dispatcher.ts';
import { createStore } from '../../src/store/index.ts';
import { SAMPLE_EVENTS } from './sample-events.ts';
import { silentLogger } from './setup.ts';

const [file, mode, ...urls] = process.argv.slice(2);
if (!file || !mode || urls.length === 0 || !process.env.WEBHOOK_SECRET) {
  throw new Error('usage: crash-child.ts <db-file> <exit|hang> <url>... (WEBHOOK_SECRET set)');
}
const store = createStore(file);
const dispatcher = createWebhookDispatcher({
  store: store.db,
  endpoints: urls,
  secret: process.env.WEBHOOK_SECRET,
  retryScheduleMs: [50, 100],
  timeoutMs: 30_000,
  logger: silentLogger,
});
dispatcher.start();
const event = store.transaction(() =>
  store.events.append('ticket.created', SAMPLE_EVENTS['ticket.created']),
);
process.stdout.write(`${event.id}\n`);
if (mode === 'exit') process.exit(0);
dispatcher.kick();
setInterval(() => {}, 1_000);
