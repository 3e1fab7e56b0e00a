/** Live clustering: assignment, consolidation, impact and the cluster operations of the API. */

export { type Assignment, assignTicket, type TicketToCluster } from './assign.ts';
export {
  type ConsolidationReport,
  consolidate,
  consolidateIfDue,
  isConsolidationDue,
} from './consolidate.ts';
export { ClusterError, type ClusterErrorCode } from './errors.ts';
export { IMPACT, impactScore, urgencyOf } from './impact.ts';
export {
  mergeClusters,
  type ReporterToNotify,
  renameCluster,
  resolveCluster,
  SYSTEM,
  splitCluster,
} from './operations.ts';
export { type ClusterSettings, DEFAULT_CLUSTER_SETTINGS } from './settings.ts';
export { refreshImpact, refreshImpacts } from './upkeep.ts';
