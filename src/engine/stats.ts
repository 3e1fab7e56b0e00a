import type { AssistCounts, HandoffTiming, Store } from '../store/index.ts';
import { utcDay } from '../store/outcomes.ts';

const DAY_MS = 86_400_000;

/** How long handoffs opened in a period waited for a person. */
export interface HandoffStats {
  opened: number;
  claimed: number;
  /** Claimed later than the SLA, or still waiting past it. */
  breaches: number;
  /** Of the claimed ones, nearest rank; null when none was claimed. */
  claimMedianMs: number | null;
  claimP90Ms: number | null;
}

/** How the conversations of a period turned out, and their handoffs. */
export interface StatsPeriod {
  conversations: number;
  /** Neither handed to a person nor a ticket. */
  botResolved: number;
  handedOff: number;
  ticketed: number;
  /** botResolved / conversations, to 3 places; null without conversations. */
  deflectionRate: number | null;
  handoffs: HandoffStats;
  /** The replies drafted for agents (shown on a card) and what became of them. */
  suggestions: SuggestionStats;
  /** The customers' ratings (1 to 5) of resolved conversations. */
  csat: CsatStats;
}

export interface SuggestionStats {
  shown: number;
  sent: number;
  edited: number;
  dismissed: number;
  /** Of those shown; null when none was. The rest were superseded by a newer one, or ignored. */
  sentRate: number | null;
  editedRate: number | null;
  dismissedRate: number | null;
}

export interface CsatStats {
  rated: number;
  /** Mean score, to 2 places; null without ratings. */
  average: number | null;
  /** Share of 4s and 5s, to 3 places: the usual CSAT figure. */
  satisfiedRate: number | null;
}

/**
 * `GET /api/stats`: one entry per UTC day, oldest first, and the totals over them. Each
 * part of a period is its own section (`handoffs`), so more can be added beside it.
 */
export interface Stats {
  days: Array<{ date: string } & StatsPeriod>;
  totals: StatsPeriod;
  /** CSAT over the period per agent who resolved, and for the bot alone (`agent` null). */
  csatByAgent: Array<{ agent: { id: string; name: string } | null } & CsatStats>;
  handoffSlaMs: number;
}

export interface StatsOptions {
  /** UTC days ending with today, 1 to 90. */
  days: number;
  handoffSlaMs: number;
  now?: number;
}

/**
 * Conversation outcomes per UTC day from the day counters (a few rows whatever the traffic),
 * and time to claim from the handoffs opened in the window (an index range). Conversations
 * count on the day their session started, handoffs on the day they were opened.
 */
export function buildStats(
  store: Pick<Store, 'outcomes' | 'assist'>,
  options: StatsOptions,
): Stats {
  const now = options.now ?? Date.now();
  const sla = options.handoffSlaMs;
  const today = utcDay(now);
  const from = today - (options.days - 1) * DAY_MS;
  const counted = new Map(store.outcomes.days(from, today).map((d) => [d.day, d]));
  const assisted = store.assist.countsSince(from);
  const handoffsOn = new Map<number, HandoffTiming[]>();
  for (const h of store.outcomes.handoffTimings(from)) {
    const day = utcDay(h.createdAt);
    const list = handoffsOn.get(day);
    if (list) list.push(h);
    else handoffsOn.set(day, [h]);
  }
  const days = Array.from({ length: options.days }, (_, i) => {
    const day = from + i * DAY_MS;
    const c = counted.get(day);
    return {
      date: new Date(day).toISOString().slice(0, 10),
      ...period(
        c?.conversations ?? 0,
        c?.botResolved ?? 0,
        c?.handedOff ?? 0,
        c?.ticketed ?? 0,
        handoffsOn.get(day) ?? [],
        sla,
        now,
        assisted.days.get(day),
      ),
    };
  });
  const sum = (key: 'conversations' | 'botResolved' | 'handedOff' | 'ticketed') =>
    days.reduce((n, d) => n + d[key], 0);
  const totals = period(
    sum('conversations'),
    sum('botResolved'),
    sum('handedOff'),
    sum('ticketed'),
    [...handoffsOn.entries()].filter(([day]) => day <= today).flatMap(([, list]) => list),
    sla,
    now,
    addCounts([...assisted.days.entries()].filter(([day]) => day <= today).map(([, c]) => c)),
  );
  const csatByAgent = [...assisted.agents.entries()].map(([id, a]) => ({
    agent: id === 'bot' ? null : { id, name: a.name },
    ...csat(a),
  }));
  return { days, totals, csatByAgent, handoffSlaMs: sla };
}

const rate = (n: number, of: number, places = 1000) =>
  of > 0 ? Math.round((n / of) * places) / places : null;

function addCounts(list: readonly AssistCounts[]): AssistCounts {
  const total: AssistCounts = {
    suggestions: { shown: 0, sent: 0, edited: 0, dismissed: 0 },
    ratings: { rated: 0, sum: 0, satisfied: 0 },
  };
  for (const c of list) {
    for (const k of ['shown', 'sent', 'edited', 'dismissed'] as const)
      total.suggestions[k] += c.suggestions[k];
    for (const k of ['rated', 'sum', 'satisfied'] as const) total.ratings[k] += c.ratings[k];
  }
  return total;
}

function csat(r: { rated: number; sum: number; satisfied: number }): CsatStats {
  return {
    rated: r.rated,
    average: rate(r.sum, r.rated, 100),
    satisfiedRate: rate(r.satisfied, r.rated),
  };
}

function suggestionStats(c: AssistCounts['suggestions']): SuggestionStats {
  return {
    ...c,
    sentRate: rate(c.sent, c.shown),
    editedRate: rate(c.edited, c.shown),
    dismissedRate: rate(c.dismissed, c.shown),
  };
}

function period(
  conversations: number,
  botResolved: number,
  handedOff: number,
  ticketed: number,
  handoffs: readonly HandoffTiming[],
  slaMs: number,
  now: number,
  assisted: AssistCounts = addCounts([]),
): StatsPeriod {
  return {
    conversations,
    botResolved,
    handedOff,
    ticketed,
    deflectionRate: rate(botResolved, conversations),
    handoffs: handoffStats(handoffs, slaMs, now),
    suggestions: suggestionStats(assisted.suggestions),
    csat: csat(assisted.ratings),
  };
}

/**
 * Time to claim is `claimedAt - createdAt`. A handoff breaches the SLA when it was claimed
 * later than `slaMs`, or is still unclaimed and open after it; one an agent resolved without
 * claiming counts from its resolution.
 */
function handoffStats(
  handoffs: readonly HandoffTiming[],
  slaMs: number,
  now: number,
): HandoffStats {
  const claims: number[] = [];
  let breaches = 0;
  for (const h of handoffs) {
    if (h.claimedAt !== null) claims.push(Math.max(0, h.claimedAt - h.createdAt));
    const answeredAt = h.claimedAt ?? h.resolvedAt ?? now;
    if (answeredAt - h.createdAt > slaMs) breaches++;
  }
  claims.sort((a, b) => a - b);
  return {
    opened: handoffs.length,
    claimed: claims.length,
    breaches,
    claimMedianMs: nearestRank(claims, 0.5),
    claimP90Ms: nearestRank(claims, 0.9),
  };
}

/** The p-quantile of sorted values by nearest rank: a value that occurred, never interpolated. */
function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}
