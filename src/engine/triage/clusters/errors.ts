/** Why a cluster change could not be applied; the admin API maps these to 404, 409 and 400. */
export type ClusterErrorCode = 'not_found' | 'conflict' | 'invalid';

/** A merge, split or resolve that does not apply (unknown id, closed cluster, bad ticket list). */
export class ClusterError extends Error {
  readonly code: ClusterErrorCode;

  constructor(code: ClusterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClusterError';
    this.code = code;
  }
}
