import { PLATFORMS, PRIORITIES, SENTIMENTS } from '../types/index.ts';
import type { Db } from './db.ts';
import { TICKET_STATUSES } from './tickets.ts';

/** Ticket counts by dimension, as `GET /api/overview` returns them. */
export interface Overview {
  total: number;
  byPriority: Record<string, number>;
  byCategory: Record<string, number>;
  bySentiment: Record<string, number>;
  byProductArea: Record<string, number>;
  byStatus: Record<string, number>;
  byPlatform: Record<string, number>;
}

/** Tickets created on one UTC day, by priority, platform and product area. */
export interface OverviewDay {
  date: string;
  total: number;
  byPriority: Record<string, number>;
  byPlatform: Record<string, number>;
  byProductArea: Record<string, number>;
}

const DAY_MS = 86_400_000;
const DAILY_FIELDS = {
  priority: 'byPriority',
  platform: 'byPlatform',
  product_area: 'byProductArea',
} as const satisfies Record<string, keyof OverviewDay>;

/** The `ticket_counts.dimension` values and the overview field each one fills. */
const DIMENSIONS = {
  priority: 'byPriority',
  category: 'byCategory',
  sentiment: 'bySentiment',
  product_area: 'byProductArea',
  status: 'byStatus',
  platform: 'byPlatform',
} as const satisfies Record<string, keyof Omit<Overview, 'total'>>;

const zeros = (keys: readonly string[]): Record<string, number> =>
  Object.fromEntries(keys.map((k) => [k, 0]));

/**
 * Overview counts read from `ticket_counts`, which the ticket transaction keeps current,
 * so the cost depends on the number of distinct values, never on the number of tickets.
 * Fixed vocabularies (priority, sentiment, status, platform) list every value, zeros included.
 */
export class OverviewStore {
  constructor(private readonly db: Db) {}

  get(): Overview {
    const overview: Overview = {
      total: 0,
      byPriority: zeros(PRIORITIES),
      byCategory: {},
      bySentiment: zeros(SENTIMENTS),
      byProductArea: {},
      byStatus: zeros(TICKET_STATUSES),
      byPlatform: zeros(PLATFORMS),
    };
    const rows = this.db
      .prepare<[], { dimension: string; value: string; n: number }>(
        'SELECT dimension, value, n FROM ticket_counts WHERE n > 0',
      )
      .all();
    for (const { dimension, value, n } of rows) {
      const field = DIMENSIONS[dimension as keyof typeof DIMENSIONS];
      if (field) overview[field][value] = n;
    }
    overview.total = Object.values(overview.byStatus).reduce((sum, n) => sum + n, 0);
    return overview;
  }

  /**
   * Tickets per UTC day for the `days` days ending with the one `now` falls in, oldest
   * first, zero-filled; read from `ticket_daily`, kept in the ticket transaction.
   */
  daily(days: number, now: number): OverviewDay[] {
    const today = Math.floor(now / DAY_MS);
    const first = today - days + 1;
    const out: OverviewDay[] = Array.from({ length: days }, (_, i) => ({
      date: new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
      total: 0,
      byPriority: zeros(PRIORITIES),
      byPlatform: zeros(PLATFORMS),
      byProductArea: {},
    }));
    const rows = this.db
      .prepare<[number, number], { day: number; dimension: string; value: string; n: number }>(
        'SELECT day, dimension, value, n FROM ticket_daily WHERE day BETWEEN ? AND ? AND n > 0',
      )
      .all(first, today);
    for (const { day, dimension, value, n } of rows) {
      const entry = out[day - first];
      const field = DAILY_FIELDS[dimension as keyof typeof DAILY_FIELDS];
      if (!entry || !field) continue;
      entry[field][value] = n;
      if (dimension === 'priority') entry.total += n;
    }
    return out;
  }
}
