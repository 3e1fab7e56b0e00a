/**
 * The triage story end to end on a fresh Switchboard: customers report in the web chat
 * (offline assistant, offline embedder, sample product docs), and a developer reads the
 * clusters from the admin API, resolves one, and reads the normalizer's figures in /metrics.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_SETTINGS } from '../../src/engine/triage/clusters/index.ts';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

const REPORTS = [
  'The app dies when I open settings, on my iPhone 14 with iOS 17 and app version 3.2.1',
  'Settings screen closes the app on my Pixel 7 with Android 14, app version 3.2.1, every single time',
  'The app crashes whenever I tap Settings on my Samsung Galaxy S23 with Android 13, version 3.2.0',
  'Opening settings is broken, the app quits on my iPad with iOS 16, version 3.1.9',
  'Every time I go to settings the app shuts down and is stuck, iPhone 12 with iOS 17, version 3.2.1',
];
const COSMETIC =
  'The logo colour in the storefront footer has a glitch in Chrome 120 on Windows 11';

interface ClusterJson {
  id: number;
  title: string;
  productArea: string | null;
  reports: number;
  uniqueReporters: number;
  urgency: string;
  status: string;
}

describe('triage through the web chat and the admin API', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  let client: ReturnType<typeof webClient>;
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${sb.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as T;
  };
  const raise = async (text: string, conversationId?: string): Promise<string> => {
    const { body } = await client.send(text, conversationId);
    await sb.engine.idle();
    const { messages } = await client.messages(body.conversationId);
    const filed = messages.filter((m) => m.role === 'bot' && /T-\d{4}/.test(m.text)).at(-1);
    if (!filed) throw new Error(`no ticket for "${text}"`);
    return body.conversationId;
  };

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    client = webClient(sb.url);
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it('gathers five customers’ phrasings into one cluster that outranks one loud cosmetic report', async () => {
    for (const text of REPORTS) await raise(text);
    const pedant = await raise(COSMETIC);
    for (let i = 0; i < 7; i++) await raise(COSMETIC, pedant);

    const { clusters } = await api<{ clusters: ClusterJson[] }>('/clusters');
    expect(clusters[0]).toMatchObject({
      productArea: 'Mobile app › Settings',
      reports: 5,
      uniqueReporters: 5,
      urgency: 'urgent',
    });
    expect(clusters[0]?.title).not.toMatch(/iphone|ios|version|\d/i);
    expect(clusters[1]).toMatchObject({ reports: 8, uniqueReporters: 1, urgency: 'normal' });

    const detail = await api<{ tickets: Array<{ similarity: number; canonical: string }> }>(
      `/clusters/${clusters[0]?.id}`,
    );
    expect(detail.tickets).toHaveLength(5);
    // Each says why it is there: at least as similar to the cluster as regrouping requires.
    for (const t of detail.tickets) {
      expect(t.similarity).toBeGreaterThanOrEqual(
        DEFAULT_CLUSTER_SETTINGS.regroup.minAverageSimilarity,
      );
    }
  });

  it('reports how often the model was skipped in /metrics', async () => {
    const text = await (await fetch(`${sb.url}/metrics`)).text();
    expect(text).toMatch(/^switchboard_normalizer_model_skipped_ratio 1$/m);
    expect(text).toMatch(/^switchboard_normalizer_decisions\{path="embedding"\} [1-9]/m);
  });

  it('resolving the cluster tells each reporter and sends the next report to a new cluster', async () => {
    const { clusters } = await api<{ clusters: ClusterJson[] }>('/clusters');
    const settings = clusters[0] as ClusterJson;
    const resolved = await api<{ reporters: number; notified: number }>(
      `/clusters/${settings.id}/resolve`,
      { method: 'POST', body: JSON.stringify({ resolution: 'Fixed in 3.2.2' }) },
    );
    expect(resolved).toMatchObject({ reporters: 5, notified: 5 });

    await raise(REPORTS[0] as string);
    const after = await api<{ clusters: ClusterJson[] }>('/clusters');
    expect(after.clusters.map((c) => c.id)).not.toContain(settings.id);
    expect(after.clusters.find((c) => c.productArea === 'Mobile app › Settings')).toMatchObject({
      reports: 1,
    });
  });
});
