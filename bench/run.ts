import { benchClusterAssignment } from './clusters.ts';
import { benchConsole } from './console.ts';
import { benchEmbedder } from './embedder.ts';
import { benchPlatforms } from './platforms.ts';
import { benchTokens } from './tokens.ts';
import { benchDigestAndOverview } from './triage.ts';
import { benchTurns } from './turns.ts';
import { benchWebhooks } from './webhooks.ts';

/**
 * `npm run bench [-- name ...]`. With no name: the offline turn latency and embedder
 * throughput. Each benchmark prints median (min–max) over repeated rounds.
 */
const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  turns: () => benchTurns(),
  embedder: () => benchEmbedder(),
  webhooks: () => benchWebhooks(),
  triage: () => benchDigestAndOverview(),
  clusters: () => benchClusterAssignment() as Promise<Record<string, unknown>>,
  platforms: () => benchPlatforms(),
  console: () => benchConsole(),
  tokens: () => benchTokens(),
};
const DEFAULT = ['turns', 'embedder'];

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = names.length === 0 ? DEFAULT : names[0] === 'all' ? Object.keys(BENCHES) : names;
for (const name of selected) {
  const run = BENCHES[name];
  if (!run) {
    process.stderr.write(
      `unknown benchmark "${name}"; choose from: ${Object.keys(BENCHES).join(', ')}, all\n`,
    );
    process.exit(2);
  }
  process.stdout.write(`\n## ${name}\n`);
  const result = await run();
  for (const [key, value] of Object.entries(result))
    process.stdout.write(`${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}\n`);
}
process.exit(0);
