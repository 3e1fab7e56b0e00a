import type { HandoffTiming, Store } from '../store/index.ts';
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
}

/**
 * `GET /api/stats`: one entry per UTC day, oldest first, and the totals over them. Each
 * part of a period is its own section (`handoffs`), so more can be added beside it.
 */
export interface Stats {
  days: Array<{ date: string } & StatsPeriod>;
  totals: StatsPeriod;
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
export function buildStats(store: Pick<Store, 'outcomes'>, options: StatsOptions): Stats {
  const now = options.now ?? Date.now();
  const sla = options.handoffSlaMs;
  const today = utcDay(now);
  const from = today - (options.days - 1) * DAY_MS;
  const counted = new Map(store.outcomes.days(from, today).map((d) => [d.day, d]));
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
  );
  return { days, totals, handoffSlaMs: sla };
}

function period(
  conversations: number,
  botResolved: number,
  handedOff: number,
  ticketed: number,
  handoffs: readonly HandoffTiming[],
  slaMs: number,
  now: number,
): StatsPeriod {
  return {
    conversations,
    botResolved,
    handedOff,
    ticketed,
    deflectionRate:
      conversations > 0 ? Math.round((botResolved / conversations) * 1000) / 1000 : null,
    handoffs: handoffStats(handoffs, slaMs, now),
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
