/**
 * Scores one product's run against its labels: answers, handoffs, disputes, when tickets
 * came, how the tickets clustered, product areas, cluster titles and the digest ranking.
 * Shares are 0..1; every miss is listed so a figure can be traced to conversations.
 */
import type { ChatMessage } from './conversation-client.ts';
import type { PlayedConversation, PlayedReport, ProductRun } from './conversation-player.ts';
import { titleFlaws } from './conversation-titles.ts';
import { ari } from './metrics/index.ts';

/** A share with its counts. */
export interface Share {
  share: number;
  hits: number;
  total: number;
}

/** Conversations handed to a human: at the first message, and counting a "yes" to an offer. */
export interface Handovers extends Share {
  afterAccepting: Share;
  /** Not handed over at the first message; `later` when a "yes" to the bot's offer did it. */
  misses: Array<{ id: string; text: string; reply: string; later: boolean }>;
}

/** One product's figures. */
export interface ProductScores {
  product: string;
  seed: number;
  seconds: number;
  size: {
    questions: number;
    handoffs: number;
    disputes: number;
    problems: number;
    reports: number;
    noise: number;
  };
  answers: Share & {
    misses: Array<{ id: string; text: string; expected: string; cited: string; routed: string }>;
  };
  handoffs: Handovers;
  disputes: Handovers;
  tickets: {
    total: number;
    first: Share;
    second: Share;
    never: Share & { reports: Array<{ id: string; problem: string; why: string }> };
    /** Tickets filed for conversations that were not bug reports (questions, handoffs, disputes). */
    unexpected: Array<{ ref: string; id: string; summary: string }>;
  };
  clustering: {
    clustersPerProblem: number;
    perProblem: Array<{ problem: string; tickets: number; clusters: number }>;
    purity: number;
    ari: number;
    /** One-off reports whose ticket shares a cluster with a recurring problem's tickets. */
    noiseInProblemClusters: string[];
  };
  areas: Share & { confusions: Array<{ expected: string; got: string; ids: string[] }> };
  titles: Share & { unclean: Array<{ clusterId: number; title: string; flaws: string[] }> };
  digest: {
    pass: boolean;
    entries: Array<{ rank: number; title: string; reports: number; label: string; mix: string }>;
    failures: string[];
  };
  /** Replies that look like an internal error reached the customer. */
  anomalies: Array<{ id: string; role: string; text: string }>;
}

const CITE = /_Source:\s*(.+?)_\s*$|\(see:\s*(.+?)\)(?=[\s.,;]|$)/gm;
const ERROR_TEXT =
  /\b(TypeError|ReferenceError|RangeError|SyntaxError|SqliteError|SQLITE_\w+|ECONNREFUSED|ETIMEDOUT)\b|\n\s+at\s+\S+\s+\(|\[object Object\]|\bundefined\b|\bNaN\b|something went wrong on our side/;

const share = (hits: number, total: number): Share => ({
  share: total ? hits / total : 0,
  hits,
  total,
});

/** The sections a reply cites (offline `_Source: …_` or the model's `(see: …)`). */
export function citedSections(replies: readonly ChatMessage[]): string[] {
  const cites: string[] = [];
  for (const r of replies) {
    for (const m of r.text.matchAll(CITE)) cites.push((m[1] ?? m[2] ?? '').trim());
  }
  return cites;
}

/** Scores one run. */
export function scoreRun(run: ProductRun): ProductScores {
  const desk = new Set(run.deskHandoffs);
  const handedOver = (c: PlayedConversation) => c.handoff || desk.has(c.conversationId);
  const ticketByConversation = new Map(run.tickets.map((t) => [t.conversationId, t]));
  const handovers = (list: PlayedConversation[]): Handovers => ({
    ...share(list.filter((c) => c.handoffAt === 1).length, list.length),
    afterAccepting: share(list.filter(handedOver).length, list.length),
    misses: list
      .filter((c) => c.handoffAt !== 1)
      .map((c) => ({
        id: c.id,
        text: c.turns[0]?.text ?? '',
        reply: firstLine(c.turns[0]?.replies.map((r) => r.text).join('\n') ?? ''),
        later: handedOver(c),
      })),
  });

  const answerMisses = [];
  let answered = 0;
  for (const q of run.questions) {
    const cited = citedSections(q.turns.flatMap((t) => t.replies));
    if (cited.includes(q.expectedSection)) {
      answered++;
      continue;
    }
    const routed = handedOver(q)
      ? 'handed to a human'
      : ticketByConversation.has(q.conversationId)
        ? 'ticket filed'
        : '';
    answerMisses.push({
      id: q.id,
      text: q.turns[0]?.text ?? '',
      expected: q.expectedSection,
      cited: cited.join(' + ') || 'none',
      routed,
    });
  }

  const reports = run.reports;
  const recurring = reports.filter((r) => !r.problem.startsWith('noise:'));
  const noise = reports.filter((r) => r.problem.startsWith('noise:'));
  return {
    product: run.product,
    seed: run.seed,
    seconds: run.seconds,
    size: {
      questions: run.questions.length,
      handoffs: run.handoffs.length,
      disputes: run.disputes.length,
      problems: new Set(recurring.map((r) => r.problem)).size,
      reports: recurring.length,
      noise: noise.length,
    },
    answers: { ...share(answered, run.questions.length), misses: answerMisses },
    handoffs: handovers(run.handoffs),
    disputes: handovers(run.disputes),
    tickets: ticketTiming(run, reports, handedOver),
    clustering: clustering(run, reports),
    areas: areaAccuracy(run, reports),
    titles: titleScores(run),
    digest: digestRanking(run, reports),
    anomalies: anomalies(run),
  };
}

function ticketTiming(
  run: ProductRun,
  reports: PlayedReport[],
  handedOver: (c: PlayedConversation) => boolean,
): ProductScores['tickets'] {
  const n = reports.length;
  const never = reports.filter((r) => r.ticketAt === null);
  const bugConversations = new Set(reports.map((r) => r.conversationId));
  const others = new Map(
    [...run.questions, ...run.handoffs, ...run.disputes].map((c) => [c.conversationId, c.id]),
  );
  return {
    total: run.tickets.length,
    first: share(reports.filter((r) => r.ticketAt === 1).length, n),
    second: share(reports.filter((r) => r.ticketAt === 2).length, n),
    never: {
      ...share(never.length, n),
      reports: never.map((r) => ({
        id: r.id,
        problem: r.problem,
        why: handedOver(r)
          ? 'handed to a human'
          : r.followUpSent
            ? `no ticket after the ${r.followUpSent} follow-up`
            : 'bot asked nothing, no follow-up to give',
      })),
    },
    unexpected: run.tickets
      .filter((t) => !bugConversations.has(t.conversationId))
      .map((t) => ({ ref: t.ref, id: others.get(t.conversationId) ?? '?', summary: t.summary })),
  };
}

/** The ticket each played report got, with its label; reports without a ticket are left out. */
function labelledTickets(run: ProductRun, reports: PlayedReport[]) {
  const byConversation = new Map(run.tickets.map((t) => [t.conversationId, t]));
  return reports.flatMap((r) => {
    const t = byConversation.get(r.conversationId);
    return t ? [{ report: r, ticket: t }] : [];
  });
}

function clustering(run: ProductRun, reports: PlayedReport[]): ProductScores['clustering'] {
  const filed = labelledTickets(run, reports);
  const clusterOf = (x: (typeof filed)[number]) => x.ticket.clusterId ?? -1;
  const problems = [
    ...new Set(reports.filter((r) => !r.problem.startsWith('noise:')).map((r) => r.problem)),
  ];
  const perProblem = problems.map((p) => {
    const mine = filed.filter((x) => x.report.problem === p);
    return { problem: p, tickets: mine.length, clusters: new Set(mine.map(clusterOf)).size };
  });
  const members = new Map<number, string[]>();
  for (const x of filed)
    members.set(clusterOf(x), [...(members.get(clusterOf(x)) ?? []), x.report.problem]);
  let majority = 0;
  for (const labels of members.values()) majority += Math.max(...counts(labels).values());
  const noiseInProblemClusters = filed
    .filter((x) => x.report.problem.startsWith('noise:'))
    .filter((x) => (members.get(clusterOf(x)) ?? []).some((l) => !l.startsWith('noise:')))
    .map((x) => x.report.id);
  const withTickets = perProblem.filter((p) => p.tickets > 0);
  return {
    clustersPerProblem: withTickets.length
      ? withTickets.reduce((s, p) => s + p.clusters, 0) / withTickets.length
      : 0,
    perProblem,
    purity: filed.length ? majority / filed.length : 0,
    ari: filed.length
      ? ari(
          filed.map((x) => x.report.problem),
          filed.map(clusterOf),
        )
      : 0,
    noiseInProblemClusters,
  };
}

function areaAccuracy(run: ProductRun, reports: PlayedReport[]): ProductScores['areas'] {
  const filed = labelledTickets(run, reports);
  const confusions = new Map<string, { expected: string; got: string; ids: string[] }>();
  let right = 0;
  for (const { report, ticket } of filed) {
    if (ticket.productArea === report.expectedArea) {
      right++;
      continue;
    }
    const got = ticket.productArea ?? 'none';
    const key = `${report.expectedArea}\u0000${got}`;
    const entry = confusions.get(key) ?? { expected: report.expectedArea, got, ids: [] };
    entry.ids.push(report.id);
    confusions.set(key, entry);
  }
  return {
    ...share(right, filed.length),
    confusions: [...confusions.values()].sort((a, b) => b.ids.length - a.ids.length),
  };
}

function titleScores(run: ProductRun): ProductScores['titles'] {
  const top = run.clusters.slice(0, 10);
  const unclean = top
    .map((c) => ({ clusterId: c.id, title: c.title, flaws: titleFlaws(c.title) }))
    .filter((c) => c.flaws.length > 0);
  return { ...share(top.length - unclean.length, top.length), unclean };
}

function digestRanking(run: ProductRun, reports: PlayedReport[]): ProductScores['digest'] {
  const labelOfConversation = new Map<string, string>(
    reports.map((r) => [r.conversationId, r.problem]),
  );
  for (const c of [...run.questions, ...run.handoffs, ...run.disputes])
    labelOfConversation.set(c.conversationId, `not-a-bug:${c.id}`);
  const labelOfRef = new Map(
    run.tickets.map((t) => [t.ref, labelOfConversation.get(t.conversationId) ?? 'unknown']),
  );
  const entries = run.digest.map((e) => {
    const tally = counts(e.ticketRefs.map((ref) => labelOfRef.get(ref) ?? 'unknown'));
    const ranked = [...tally.entries()].sort((a, b) => b[1] - a[1]);
    return {
      rank: e.rank,
      title: e.title,
      reports: e.reports,
      label: ranked[0]?.[0] ?? 'unknown',
      mix: ranked.map(([l, n]) => `${l} ${n}`).join(' + '),
    };
  });
  const realProblems = [...counts(reports.map((r) => r.problem)).entries()]
    .filter(([p, n]) => !p.startsWith('noise:') && n >= 3)
    .map(([p]) => p);
  const noiseRanks = entries.filter((e) => !realProblems.includes(e.label)).map((e) => e.rank);
  const worstAllowed = Math.min(Infinity, ...noiseRanks);
  const failures: string[] = [];
  for (const p of realProblems) {
    const best = entries.find((e) => e.label === p);
    if (!best) failures.push(`${p}: leads no entry of the top ${run.digest.length}`);
    else if (best.rank > worstAllowed)
      failures.push(`${p}: best at #${best.rank}, below a one-off at #${worstAllowed}`);
  }
  return { pass: failures.length === 0, entries, failures };
}

function anomalies(run: ProductRun): ProductScores['anomalies'] {
  const all = [...run.questions, ...run.handoffs, ...run.disputes, ...run.reports];
  const found: ProductScores['anomalies'] = [];
  for (const c of all) {
    for (const t of c.turns) {
      if (!t.answered)
        found.push({ id: c.id, role: 'none', text: `no answer within 5 s to "${t.text}"` });
      for (const r of t.replies)
        if (ERROR_TEXT.test(r.text)) found.push({ id: c.id, role: r.role, text: r.text });
    }
  }
  return found;
}

function counts<T>(items: readonly T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}
