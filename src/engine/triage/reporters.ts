import type { Store } from '../../store/index.ts';

/** Sends a customer a message on the platform of their conversation (`engine.notify`). */
export type Notify = (conversationId: string, text: string) => Promise<boolean>;

/** The message a reporter receives when their problem's cluster is resolved. */
export function fixNotice(refs: readonly string[], resolution?: string): string {
  const note = resolution?.trim() ? ` ${resolution.trim().replace(/([^.!?])$/, '$1.')}` : '';
  return `The fix for the problem you reported (${refs.join(', ')}) is out.${note} Thanks for reporting it; if it still happens, just reply here.`;
}

/**
 * Tells every reporter of a cluster that the fix is out, once per reporter, in the
 * conversation where they last reported it, naming their ticket references. Run it after
 * the resolve committed. Reporters are told one after another; a failed delivery is
 * logged by `notify` and does not stop the others.
 */
export async function notifyReporters(
  store: Pick<Store, 'clusterViews'>,
  notify: Notify,
  clusterId: number,
  resolution?: string,
): Promise<{ reporters: number; notified: number }> {
  const reporters = store.clusterViews.reporters(clusterId);
  let notified = 0;
  for (const r of reporters) {
    if (await notify(r.conversationId, fixNotice(r.refs, resolution))) notified++;
  }
  return { reporters: reporters.length, notified };
}
