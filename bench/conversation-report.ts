/** The conversation evaluation's figures as the command prints them, one block per product. */
import type { Handovers, ProductScores, Share } from './conversation-scores.ts';

const pct = (s: Share) => `${(s.share * 100).toFixed(1)}% (${s.hits}/${s.total})`;
const quote = (text: string, max = 70) =>
  `"${text.length > max ? `${text.slice(0, max - 3)}...` : text}"`;

/** One product's report, in plain text. */
export function formatScores(s: ProductScores): string {
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  const list = (items: string[]) => {
    for (const i of items) out.push(`    - ${i}`);
  };
  const z = s.size;
  line(`## ${s.product}, seed ${s.seed}  (${s.seconds.toFixed(1)} s)`);
  line(
    `corpus      ${z.questions} questions, ${z.handoffs} person requests, ${z.disputes} billing disputes, ${z.reports} bug reports of ${z.problems} problems, ${z.noise} one-off reports`,
  );
  line();
  line(`answers     ${pct(s.answers)} cite the expected section`);
  list(
    s.answers.misses.map(
      (m) =>
        `${m.id} ${quote(m.text, 60)}: expected ${m.expected}; cited ${m.cited}${m.routed ? ` (${m.routed})` : ''}`,
    ),
  );
  const handovers = (label: string, what: string, h: Handovers) => {
    line(
      `${label.padEnd(12)}${pct(h)} of ${what} handed over at the first message; ${pct(h.afterAccepting)} counting a "yes" to the bot's offer`,
    );
    list(
      h.misses.map(
        (m) =>
          `${m.id} ${quote(m.text, 60)} → ${quote(m.reply, 60)}${m.later ? ' (handed over after "yes")' : ''}`,
      ),
    );
  };
  handovers('handoffs', 'person requests', s.handoffs);
  handovers('disputes', 'billing disputes', s.disputes);
  const t = s.tickets;
  line(
    `tickets     at 1st message ${pct(t.first)}, at 2nd ${pct(t.second)}, never ${pct(t.never)}`,
  );
  list(t.never.reports.map((r) => `never: ${r.id} (${r.problem}): ${r.why}`));
  list(
    t.unexpected.map(
      (u) => `ticket ${u.ref} filed for ${u.id}, not a bug report: ${quote(u.summary, 60)}`,
    ),
  );
  const c = s.clustering;
  line(
    `clusters    ${c.clustersPerProblem.toFixed(2)} per problem, purity ${(c.purity * 100).toFixed(1)}%, ARI ${c.ari.toFixed(3)} (tickets of bug reports and one-offs)`,
  );
  list(c.perProblem.map((p) => `${p.problem}: ${p.tickets} tickets in ${p.clusters} cluster(s)`));
  if (c.noiseInProblemClusters.length > 0) {
    list([`one-offs inside a problem's cluster: ${c.noiseInProblemClusters.join(', ')}`]);
  }
  line(`areas       ${pct(s.areas)} of tickets filed under the expected area`);
  list(s.areas.confusions.map((x) => `${x.expected} → ${x.got} (${x.ids.join(', ')})`));
  line(`titles      ${pct(s.titles)} of the top-10 clusters have a clean title`);
  list(s.titles.unclean.map((u) => `#${u.clusterId} ${quote(u.title, 90)}: ${u.flaws.join('; ')}`));
  line(
    `digest      ${s.digest.pass ? 'PASS' : 'FAIL'}: every problem with 3+ reports ranks above every one-off`,
  );
  list(s.digest.failures);
  for (const e of s.digest.entries) {
    out.push(
      `    ${String(e.rank).padStart(2)}. [${e.label}] ${quote(e.title, 100)}, ${e.reports} reports${e.mix.includes('+') ? ` (${e.mix})` : ''}`,
    );
  }
  if (s.anomalies.length > 0) {
    line(
      `anomalies   ${s.anomalies.length} replies look like an internal error reached the customer`,
    );
    list(s.anomalies.map((a) => `${a.id} [${a.role}] ${quote(a.text.replace(/\s+/g, ' '), 110)}`));
  } else {
    line('anomalies   none (no error text, stack trace or unanswered message reached a customer)');
  }
  return out.join('\n');
}

/** The figures the targets name, per product: the mean over seeds, with the range. */
export function formatSummary(all: readonly ProductScores[]): string {
  const seeds = [...new Set(all.map((s) => s.seed))];
  const rows: Array<[string, (s: ProductScores) => number, (v: number) => string]> = [
    ['answers citing the expected section', (s) => s.answers.share, percent],
    ['person requests handed over (with a "yes")', (s) => s.handoffs.afterAccepting.share, percent],
    [
      'billing disputes handed over (with a "yes")',
      (s) => s.disputes.afterAccepting.share,
      percent,
    ],
    ['tickets filed at the 1st message', (s) => s.tickets.first.share, percent],
    [
      'tickets filed by the 2nd message',
      (s) => s.tickets.first.share + s.tickets.second.share,
      percent,
    ],
    ['clusters per problem', (s) => s.clustering.clustersPerProblem, (v) => v.toFixed(2)],
    ['cluster ARI', (s) => s.clustering.ari, (v) => v.toFixed(3)],
    ['product area as expected', (s) => s.areas.share, percent],
    ['top-10 titles clean', (s) => s.titles.share, percent],
    ['digest: problems above one-offs', (s) => (s.digest.pass ? 1 : 0), percent],
  ];
  const out = [`## summary over seeds ${seeds.join(', ')}: mean (min–max)`];
  for (const product of [...new Set(all.map((s) => s.product))]) {
    const runs = all.filter((s) => s.product === product);
    out.push(`${product}`);
    for (const [label, value, show] of rows) {
      const values = runs.map(value);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const range =
        runs.length > 1 ? ` (${show(Math.min(...values))}–${show(Math.max(...values))})` : '';
      out.push(`  ${label.padEnd(46)}${show(mean)}${range}`);
    }
  }
  return out.join('\n');
}

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
