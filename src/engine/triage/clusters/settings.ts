/**
 * The clustering knobs, with the defaults tuned on Banking77 and CLINC150 (see
 * docs/clustering.md for the data, the settings tried and the figures). Live use and the
 * evaluation read the same defaults.
 */
export interface ClusterSettings {
  /** Open clusters the centroid index returns per query. */
  candidates: number;
  /** A ticket joins the nearest open cluster when cosine(ticket, centroid) is at least this. */
  joinSimilarity: number;
  /**
   * After an assignment, another candidate whose centroid is at least this similar to the
   * ticket's cluster is the same problem: the smaller of the two merges into the larger.
   */
  mergeSimilarity: number;
  /** Consolidation (re-filing, re-homing) runs after every Nth ticket (by id), in its own transaction. */
  consolidateEvery: number;
  /**
   * Small clusters that stopped growing are folded into the cluster they are most similar
   * to on average (mean similarity of their tickets to its tickets), if that is at least
   * `minSimilarity`; otherwise they stay as they are.
   */
  refine: {
    /** Clusters larger than this are not reconsidered (their centroids barely move). */
    maxReports: number;
  };
  /**
   * Neighbour votes (see docs/clustering.md): each ticket keeps its `k` most similar
   * tickets (at least `minSimilarity` similar), looked for among the newest `perCluster`
   * tickets of its `clusters` nearest open clusters, and moves to the cluster whose
   * neighbours outweigh its own: the summed similarity of its neighbours in a cluster, less
   * a penalty per ticket already there, if its cosine to that cluster's centroid is at least
   * `minCentroidSimilarity`. The penalty is modularity's: `resolution` × the ticket's total
   * neighbour similarity ÷ the open tickets (at least `minTickets`), so the clusters votes
   * build grow with the volume. `k` = 0 turns votes off.
   */
  neighbours: {
    k: number;
    minSimilarity: number;
    minCentroidSimilarity: number;
    resolution: number;
    minTickets: number;
    clusters: number;
    perCluster: number;
    /** At most this many tickets are reconsidered in one pass (a bound on its cost). */
    maxVisits: number;
  };
  /**
   * Regrouping, while the open set is small (see docs/clustering.md, "From the first
   * tickets"): consolidation runs after every ticket while there are at most
   * `maxOpenTickets` open tickets, and each cluster that changed is merged with the open
   * cluster whose tickets are, on average, most similar to its own (average linkage: the dot
   * product of the two clusters' mean vectors) when that is at least `minAverageSimilarity`,
   * until no such pair is left. Two clusters filed under the same product area count
   * `sameAreaBonus` more similar: reports of one problem are filed under one area far more
   * often than their wording agrees. The bonus holds while the docs describe the reports,
   * that is while the open tickets' mean product-area score is at least `minAreaFit`;
   * areas found among docs about something else say nothing; and it holds only between
   * clusters whose reports do not fail in different ways (`symptoms.ts`). Clusters a person
   * split apart are never rejoined.
   */
  regroup: {
    maxOpenTickets: number;
    minAverageSimilarity: number;
    sameAreaBonus: number;
    minAreaFit: number;
  };
  rehome: {
    /** At most this many tickets. */
    maxReports: number;
    /** No new ticket for this many tickets (of all clusters). */
    quietTickets: number;
    minSimilarity: number;
  };
}

/** The defaults; see docs/clustering.md. */
export const DEFAULT_CLUSTER_SETTINGS: Readonly<ClusterSettings> = Object.freeze({
  candidates: 10,
  joinSimilarity: 0.52,
  mergeSimilarity: 0.86,
  consolidateEvery: 100,
  refine: Object.freeze({ maxReports: 2000 }),
  neighbours: Object.freeze({
    k: 10,
    minSimilarity: 0.25,
    minCentroidSimilarity: 0.42,
    resolution: 20,
    minTickets: 1000,
    clusters: 10,
    perCluster: 2000,
    maxVisits: 50_000,
  }),
  regroup: Object.freeze({
    maxOpenTickets: 500,
    minAverageSimilarity: 0.45,
    sameAreaBonus: 0.2,
    minAreaFit: 1.0,
  }),
  rehome: Object.freeze({ maxReports: 3, quietTickets: 400, minSimilarity: 0.2 }),
});
