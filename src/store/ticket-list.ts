import type { Db } from './db.ts';

/** Filters of `GET /api/tickets`. */
export interface TicketFilter {
  status?: string;
  priority?: string;
  category?: string;
  productArea?: string;
  platform?: string;
  clusterId?: number;
  /** Words of the summary or the canonical phrase, all of them (any form: crash, crashes). */
  q?: string;
  /** Created at or after, epoch ms. */
  from?: number;
  /** Created before, epoch ms. */
  to?: number;
  limit?: number;
  offset?: number;
}

/** Most phrases a search keeps; the rest of a long query adds little and costs a doclist each. */
const MAX_PHRASES = 8;

/**
 * A search as an FTS5 query, or undefined when it has no word to look for: each
 * whitespace-separated part becomes a quoted phrase of its letters and digits (so `3.2.1`
 * finds "3.2.1", not any 3, 2 and 1), and every phrase must match. Nothing the user typed
 * reaches FTS5's query syntax.
 */
export function ftsQuery(q: string): string | undefined {
  const phrases = q
    .split(/\s+/)
    .map((part) => part.match(/[\p{L}\p{N}]+/gu)?.join(' '))
    .filter((phrase): phrase is string => Boolean(phrase))
    .slice(0, MAX_PHRASES);
  return phrases.length > 0 ? phrases.map((p) => `"${p}"`).join(' ') : undefined;
}

/** The equality filters, their column, the (column, id) index and the overview dimension. */
const EQUALITIES = {
  status: { column: 'status', index: 'tickets_status', dimension: 'status' },
  priority: { column: 'priority', index: 'tickets_priority', dimension: 'priority' },
  category: { column: 'category', index: 'tickets_category', dimension: 'category' },
  productArea: { column: 'product_area', index: 'tickets_area', dimension: 'product_area' },
  platform: { column: 'platform', index: 'tickets_platform', dimension: 'platform' },
  clusterId: { column: 'cluster_id', index: 'tickets_cluster', dimension: undefined },
} as const;
type Equality = keyof typeof EQUALITIES;

/** How the rows are walked: the table by id, an index, or the search's matches by id. */
type Driver = { kind: 'table' } | { kind: 'index'; key: Equality | 'created' } | { kind: 'search' };

/** One filter: its SQL over `t` (tickets) and about how many tickets it keeps. */
interface Condition {
  key: Equality | 'created' | 'search';
  sql: string;
  size: number;
}

/**
 * Reading a row and checking it against a search costs about this many plain row reads
 * (an FTS5 lookup by rowid per row: about 10 µs against 1 µs, measured at 1M tickets).
 */
const SEARCH_CHECK_COST = 10;
/** Matches counted exactly before a search's size is estimated from a sample instead. */
const SEARCH_COUNT_CAP = 1_000;
/** The newest tickets a big search is sampled in. */
const SEARCH_SAMPLE = 20_000;
/**
 * Date ranges of up to about this many tickets get their exact lowest and highest id (a
 * scan of the created_at index, ~40 ns a ticket), so every walk starts inside the range.
 */
const BOUNDED_RANGE = 100_000;

export interface TicketQuery {
  sql: string;
  params: Record<string, string | number>;
}

/**
 * Plans `GET /api/tickets`: newest first (by id), every given filter combined. Without
 * statistics SQLite cannot tell a filter that keeps 30 tickets from one that keeps a
 * million, so the walk is chosen here from what is known cheaply: the overview counters
 * (exact per status, priority, category, product area and platform), a cluster's reports,
 * the ids at the ends of a date range, and a capped count of a search's matches. A walk in
 * id order (the table, a (column, id) index, the search's matches) stops after the page; a
 * cluster's or a date range's index is read whole and sorted, so it is chosen only when
 * that is cheaper. Every plan returns the same rows; only the cost differs.
 */
export function planTicketList(db: Db, f: TicketFilter): TicketQuery {
  const limit = f.limit ?? 50;
  const offset = f.offset ?? 0;
  const params: Record<string, string | number> = { limit, offset };
  const conditions: Condition[] = [];
  const total = Math.max(1, countOf(db, 'status'));

  for (const [key, spec] of Object.entries(EQUALITIES) as Array<
    [Equality, (typeof EQUALITIES)[Equality]]
  >) {
    const value = f[key];
    if (value === undefined) continue;
    params[key] = value;
    const size =
      spec.dimension === undefined
        ? clusterReports(db, value as number)
        : countOf(db, spec.dimension, value as string);
    conditions.push({ key, sql: `t.${spec.column} = @${key}`, size });
  }
  // What a walk from the newest ticket passes over before the date range, and the share of
  // the ids it walks at all.
  let newer = 0;
  let span = 1;
  let bounded = false;
  if (f.from !== undefined || f.to !== undefined) {
    params.from = f.from ?? 0;
    params.to = f.to ?? Number.MAX_SAFE_INTEGER;
    const range = dateRange(db, params.from, params.to);
    let sql = 't.created_at >= @from AND t.created_at < @to';
    if (range.ids) {
      bounded = true;
      params.lo = range.ids.lo;
      params.hi = range.ids.hi;
      span = Math.max(1, range.ids.hi - range.ids.lo + 1) / total;
      sql += ' AND t.id BETWEEN @lo AND @hi';
    } else newer = range.newer;
    conditions.push({ key: 'created', sql, size: range.size });
  }
  if (f.q !== undefined) {
    const search = ftsQuery(f.q);
    // A search with no word matches nothing; FTS5 would refuse the empty query.
    params.q = search ?? '""';
    conditions.push({ key: 'search', sql: '', size: search ? searchSize(db, search) : 0 });
  }

  const need = offset + limit;
  const searched = conditions.some((c) => c.key === 'search');
  const checkCost = (driver: Driver) =>
    searched && driver.kind !== 'search' ? SEARCH_CHECK_COST : 1;
  /** Rows read walking `driver` (which keeps `size` tickets) newest first until the page is full. */
  const walk = (driver: Driver, size: number, own?: string) => {
    // The share of the walked rows the other filters keep (a bounded date range keeps most
    // of the ids between its bounds).
    const share = conditions
      .filter((c) => c.key !== own)
      .reduce((s, c) => s * Math.min(1, c.size / (c.key === 'created' ? span * total : total)), 1);
    const passed = (newer * size) / total;
    return Math.min(size * span, passed + need / Math.max(share, 1 / total)) * checkCost(driver);
  };
  let best: { driver: Driver; rows: number } = {
    driver: { kind: 'table' },
    rows: walk({ kind: 'table' }, total),
  };
  const consider = (driver: Driver, rows: number) => {
    if (rows < best.rows) best = { driver, rows };
  };
  for (const c of conditions) {
    const driver: Driver = c.key === 'search' ? { kind: 'search' } : { kind: 'index', key: c.key };
    // A cluster's index is in created_at order, and so is the date range's: read whole, sorted.
    const unordered = c.key === 'created' || c.key === 'clusterId';
    consider(driver, unordered ? c.size * checkCost(driver) : walk(driver, c.size, c.key));
  }
  return { sql: sqlFor(best.driver, conditions, bounded), params };
}

function sqlFor(driver: Driver, conditions: readonly Condition[], bounded: boolean): string {
  const where = conditions.filter((c) => c.key !== 'search').map((c) => c.sql);
  if (driver.kind === 'search') {
    // FTS5 seeks by a rowid range only when the bounds are integers (better-sqlite3 binds
    // numbers as reals).
    if (bounded) where.unshift('f.rowid BETWEEN CAST(@lo AS INTEGER) AND CAST(@hi AS INTEGER)');
    where.unshift('tickets_fts MATCH @q');
    return `SELECT t.* FROM tickets_fts f CROSS JOIN tickets t ON t.id = f.rowid
      WHERE ${where.join(' AND ')} ORDER BY f.rowid DESC LIMIT @limit OFFSET @offset`;
  }
  if (conditions.some((c) => c.key === 'search')) {
    where.push('EXISTS (SELECT 1 FROM tickets_fts WHERE tickets_fts MATCH @q AND rowid = t.id)');
  }
  const access =
    driver.kind === 'table'
      ? 'NOT INDEXED'
      : `INDEXED BY ${driver.key === 'created' ? 'tickets_created' : EQUALITIES[driver.key].index}`;
  return `SELECT t.* FROM tickets t ${access} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY t.id DESC LIMIT @limit OFFSET @offset`;
}

/** An overview counter: tickets with that value of the dimension, or all tickets. */
function countOf(db: Db, dimension: string, value?: string): number {
  const row =
    value === undefined
      ? db
          .prepare<[string], { n: number | null }>(
            'SELECT SUM(n) AS n FROM ticket_counts WHERE dimension = ?',
          )
          .get(dimension)
      : db
          .prepare<[string, string], { n: number }>(
            'SELECT n FROM ticket_counts WHERE dimension = ? AND value = ?',
          )
          .get(dimension, value);
  return Math.max(0, row?.n ?? 0);
}

function clusterReports(db: Db, clusterId: number): number {
  return (
    db
      .prepare<[number], { n: number }>('SELECT reports AS n FROM clusters WHERE id = ?')
      .get(clusterId)?.n ?? 0
  );
}

/**
 * About how many tickets were created in [from, to), and how many after it: tickets are
 * numbered as they are created, so the first ids at or after each end tell, by index seeks.
 * A range that small is then scanned for its exact lowest and highest id, whatever order
 * the tickets were created in (an empty range gets bounds no id is between).
 */
function dateRange(
  db: Db,
  from: number,
  to: number,
): { size: number; newer: number; ids?: { lo: number; hi: number } } {
  const firstAtOrAfter = db.prepare<[number], { id: number }>(
    'SELECT id FROM tickets WHERE created_at >= ? ORDER BY created_at, id LIMIT 1',
  );
  const next =
    (db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM tickets').get()?.id ?? 0) + 1;
  const start = firstAtOrAfter.get(from)?.id ?? next;
  const end = firstAtOrAfter.get(to)?.id ?? next;
  const size = Math.max(0, end - start);
  const newer = Math.max(0, next - end);
  if (size > BOUNDED_RANGE) return { size, newer };
  const ids = db
    .prepare<[number, number], { lo: number | null; hi: number | null }>(
      `SELECT MIN(id) AS lo, MAX(id) AS hi FROM tickets INDEXED BY tickets_created
       WHERE created_at >= ? AND created_at < ?`,
    )
    .get(from, to);
  return ids?.lo != null && ids.hi != null
    ? { size, newer, ids: { lo: ids.lo, hi: ids.hi } }
    : { size: 0, newer, ids: { lo: 1, hi: 0 } };
}

/**
 * About how many tickets a search matches: counted up to a cap, and beyond it estimated
 * from the share of matches among the newest tickets.
 */
function searchSize(db: Db, query: string): number {
  const counted =
    db
      .prepare<[string, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM (SELECT 1 FROM tickets_fts WHERE tickets_fts MATCH ? LIMIT ?)',
      )
      .get(query, SEARCH_COUNT_CAP)?.n ?? 0;
  if (counted < SEARCH_COUNT_CAP) return counted;
  const newest =
    db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM tickets').get()?.id ?? 0;
  const sampled =
    db
      .prepare<[string, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM tickets_fts WHERE tickets_fts MATCH ? AND rowid > CAST(? AS INTEGER)',
      )
      .get(query, newest - SEARCH_SAMPLE)?.n ?? 0;
  return Math.max(SEARCH_COUNT_CAP, Math.round((sampled / SEARCH_SAMPLE) * newest));
}
