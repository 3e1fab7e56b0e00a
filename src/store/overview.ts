import { PLATFORMS, PRIORITIES, SENTIMENTS } from '../types/index.ts';
import type { Db } from './db.ts';

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
      byStatus: zeros(['open', 'resolved']),
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
}
