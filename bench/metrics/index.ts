/** Clustering quality metrics for the evaluation, each against true class labels. */
export { ari } from './ari.ts';
export { hungarianAccuracy, solveAssignment } from './hungarian.ts';
export { nmi } from './nmi.ts';
