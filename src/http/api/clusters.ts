import { Router } from 'express';
import { z } from 'zod';
import { countEnvironments, sinceVersion } from '../../engine/environment.ts';
import { trendOf } from '../../engine/triage/digest/build.ts';
import type { Triage } from '../../engine/triage/index.ts';
import { CLUSTER_STATUSES, type ClusterView, type Store, URGENCIES } from '../../store/index.ts';
import { PLATFORMS, PRIORITIES } from '../../types/index.ts';
import { HttpError, parseOr400 } from '../errors.ts';
import { daysQuery } from './params.ts';

export interface ClusterRoutesDeps {
  store: Store;
  /** Merge, split and resolve: triage's front door (each commits and wakes the webhooks). */
  triage: Pick<Triage, 'merge' | 'split' | 'resolve' | 'rename'>;
}

const DAY_MS = 86_400_000;
const id = z.coerce
  .number({ error: 'the cluster id must be a number' })
  .int('the cluster id must be a whole number')
  .positive('the cluster id must be positive');
const ids = (what: string, max: number) =>
  z
    .array(z.number().int().positive(), { error: `must be an array of ${what} ids` })
    .min(1, `must name at least one ${what}`)
    .max(max, `may name at most ${max} ${what}s`)
    .refine((list) => new Set(list).size === list.length, 'must not repeat an id');
const actor = z.string().trim().min(1).max(80).default('admin');
const listQuery = z.strictObject({
  status: z.enum(CLUSTER_STATUSES).default('open'),
  productArea: z.string().trim().min(1).max(120).optional(),
  urgency: z.enum(URGENCIES).optional(),
  platform: z.enum(PLATFORMS).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
/** Days of the sparkline each listed cluster carries (`daily`). */
const SPARKLINE_DAYS = 14;
const detailQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const mergeBody = z.strictObject({ sourceIds: ids('cluster', 100), actor });
const splitBody = z.strictObject({ ticketIds: ids('ticket', 1000), actor });
const renameBody = z.strictObject({
  title: z
    .string({ error: 'title must be a string' })
    .trim()
    .min(1, 'title needs some words')
    .max(120, 'title may be at most 120 characters'),
  actor,
});
const resolveBody = z.strictObject({
  notify: z.boolean().default(true),
  resolution: z.string().trim().max(500).optional(),
  actor,
});

const STATUS_OF_CODE: Record<string, number> = { not_found: 404, conflict: 409, invalid: 400 };

/**
 * Clusters, mounted under `/api` behind bearer auth:
 * - `GET /clusters?status=&productArea=&urgency=&platform=&q=&limit=&offset=`: ranked by
 *   impact, with the trend of the last 24 h against the 24 h before and the reports of
 *   each of the last 14 days (`daily`, oldest first).
 * - `GET /clusters/areas`: the product areas of open clusters, with their clusters, reports
 *   and total impact, highest impact first.
 * - `GET /clusters/:id?limit=&offset=`: the cluster, its tickets with the similarity that
 *   put each there, and its audit log.
 * - `GET /clusters/:id/timeline?days=30`: reports per UTC day (1 to 90 days, oldest first).
 * - `POST /clusters/:id/merge {sourceIds}`, `POST /clusters/:id/split {ticketIds}`.
 * - `POST /clusters/:id/rename {title}`: a person's title, kept from then on.
 * - `POST /clusters/:id/resolve {notify?, resolution?}`: then, unless `notify` is false,
 *   tells every reporter on their platform that the fix is out.
 */
export function clusterRoutes({ store, triage }: ClusterRoutesDeps): Router {
  const router = Router();
  const now = () => Date.now();

  /** A cluster as the API shows it; times ISO 8601, trend over the last 24 h. */
  const clusterJson = (c: ClusterView, at = now(), known?: readonly string[]) => {
    const last24h = store.digests.reportsIn(c.id, { since: at - DAY_MS, until: at + 1 });
    const previous24h = store.digests.reportsIn(c.id, {
      since: at - 2 * DAY_MS,
      until: at - DAY_MS,
    });
    return {
      id: c.id,
      title: c.title,
      productArea: c.productArea,
      status: c.status,
      ...(c.mergedInto !== null ? { mergedInto: c.mergedInto } : {}),
      reports: c.reports,
      uniqueReporters: c.uniqueReporters,
      platforms: Object.keys(c.platforms)
        .filter((p) => (c.platforms[p] ?? 0) > 0)
        .sort(),
      priorityMix: Object.fromEntries(PRIORITIES.map((p) => [p, c.priorityMix[p] ?? 0])),
      urgency: c.urgency,
      impact: Math.round(c.impact * 100) / 100,
      trend: trendOf(last24h, previous24h, c.firstSeen, at - DAY_MS),
      ...environmentOf(c.id, at, known),
      reportsLast24h: last24h,
      firstSeen: new Date(c.firstSeen).toISOString(),
      lastSeen: new Date(c.lastSeen).toISOString(),
      resolvedAt: c.resolvedAt === null ? null : new Date(c.resolvedAt).toISOString(),
    };
  };
  /** Versions anyone ran in the last 90 days: what "since 3.2.1" is judged against. */
  const knownVersions = (at: number) => store.clusterViews.appVersionsSince(at - 90 * DAY_MS);
  const environmentOf = (
    clusterId: number,
    at: number,
    known: readonly string[] = knownVersions(at),
  ) => {
    const environment = countEnvironments(store.clusterViews.environment(clusterId));
    return { environment, sinceVersion: sinceVersion(environment, known) };
  };
  const mustGet = (clusterId: number): ClusterView => {
    const cluster = store.clusterViews.get(clusterId);
    if (!cluster) throw new HttpError(404, 'not_found', `no cluster ${clusterId}`);
    return cluster;
  };
  /** Runs a cluster action; its refusal (a `ClusterError`) becomes 404, 409 or 400. */
  const apply = async <T>(action: () => T | Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const status = typeof code === 'string' ? STATUS_OF_CODE[code] : undefined;
      if (status) throw new HttpError(status, code as string, (error as Error).message);
      throw error;
    }
  };

  router.get('/clusters', (req, res) => {
    const filter = parseOr400(listQuery, req.query);
    const page = store.clusterViews.list(filter);
    const at = now();
    const known = knownVersions(at);
    const daily = store.clusterViews.dailyReports(
      page.clusters.map((c) => c.id),
      SPARKLINE_DAYS,
      at,
    );
    res.json({
      clusters: page.clusters.map((c) => ({
        ...clusterJson(c, at, known),
        daily: daily.get(c.id) ?? [],
      })),
      total: page.total,
      limit: filter.limit,
      offset: filter.offset,
    });
  });

  router.get('/clusters/areas', (_req, res) => {
    res.json({ areas: store.clusterViews.openAreas() });
  });

  router.get('/clusters/:id', (req, res) => {
    const cluster = mustGet(parseOr400(id, req.params.id));
    const { limit, offset } = parseOr400(detailQuery, req.query);
    const page = store.clusterViews.tickets(cluster.id, limit, offset);
    res.json({
      cluster: clusterJson(cluster),
      tickets: page.tickets.map((t) => ({ ...t, createdAt: new Date(t.createdAt).toISOString() })),
      ticketsTotal: page.total,
      limit,
      offset,
      audit: store.clusterViews
        .audit(cluster.id)
        .map((a) => ({ ...a, createdAt: new Date(a.createdAt).toISOString() })),
    });
  });

  router.get('/clusters/:id/timeline', (req, res) => {
    const cluster = mustGet(parseOr400(id, req.params.id));
    const { days } = parseOr400(daysQuery, req.query);
    res.json({ clusterId: cluster.id, days: store.clusterViews.timeline(cluster.id, days, now()) });
  });

  router.post('/clusters/:id/rename', async (req, res) => {
    const clusterId = parseOr400(id, req.params.id);
    const body = parseOr400(renameBody, req.body ?? {});
    await apply(() => triage.rename(clusterId, body.title, body.actor));
    res.json({ cluster: clusterJson(mustGet(clusterId)) });
  });

  router.post('/clusters/:id/merge', async (req, res) => {
    const targetId = parseOr400(id, req.params.id);
    const body = parseOr400(mergeBody, req.body ?? {});
    if (body.sourceIds.includes(targetId)) {
      throw new HttpError(400, 'invalid_request', 'sourceIds: a cluster cannot merge into itself');
    }
    await apply(() => triage.merge(targetId, body.sourceIds, body.actor));
    res.json({ cluster: clusterJson(mustGet(targetId)), merged: body.sourceIds });
  });

  router.post('/clusters/:id/split', async (req, res) => {
    const clusterId = parseOr400(id, req.params.id);
    const body = parseOr400(splitBody, req.body ?? {});
    const newId = await apply(() => triage.split(clusterId, body.ticketIds, body.actor));
    res
      .status(201)
      .json({ cluster: clusterJson(mustGet(clusterId)), newCluster: clusterJson(mustGet(newId)) });
  });

  router.post('/clusters/:id/resolve', async (req, res) => {
    const clusterId = parseOr400(id, req.params.id);
    const body = parseOr400(resolveBody, req.body ?? {});
    const told = await apply(() =>
      triage.resolve(clusterId, {
        actor: body.actor,
        resolution: body.resolution,
        notifyReporters: body.notify,
      }),
    );
    res.json({ cluster: clusterJson(mustGet(clusterId)), ...told });
  });

  return router;
}
