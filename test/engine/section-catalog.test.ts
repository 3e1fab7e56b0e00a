/**
 * The section catalog follows the docs as they are indexed while the server runs: an edited
 * glossary and a new doc are matched on from the first question after the re-index,
 * without a restart.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '../../src/ai/offline-embedder.ts';
import { ingestKnowledge } from '../../src/engine/knowledge/ingest.ts';
import { createSectionCatalog } from '../../src/engine/knowledge/sections.ts';
import { createStore } from '../../src/store/index.ts';

describe('the section catalog as the docs change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-catalog-'));
  const docs = join(dir, 'docs');
  const store = createStore(join(dir, 'db.sqlite'));
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('matches on an edited glossary and a new doc from the first question after the re-index', async () => {
    const embedder = createOfflineEmbedder();
    await embedder.init();
    store.prepareVectors(embedder);
    mkdirSync(docs);
    writeFileSync(
      join(docs, 'account.md'),
      '# Account\n\n## Deleting your account\n\nOpen Settings and choose Delete account. It cannot be undone.\n\n## Changing your email\n\nOpen Profile and type the new address, then confirm it from your inbox.\n',
    );
    await ingestKnowledge(docs, store, embedder);
    const catalog = createSectionCatalog({ store, embedder, knowledgeDir: docs });
    const best = async (text: string) => (await catalog.rank(text))[0];

    expect((await best('how do I zap my profile for good'))?.named).toBe(false);
    writeFileSync(
      join(docs, 'glossary.json'),
      JSON.stringify({ 'Account › Deleting your account': ['zap'] }),
    );
    await ingestKnowledge(docs, store, embedder);
    const named = await best('how do I zap my profile for good');
    expect(named?.section.name).toBe('Account › Deleting your account');
    expect(named?.named).toBe(true);

    writeFileSync(
      join(docs, 'billing.md'),
      '# Billing\n\n## Invoices\n\nDownload every invoice as a PDF from Billing › Invoices.\n',
    );
    await ingestKnowledge(docs, store, embedder);
    expect((await best('where do I download an invoice pdf'))?.section.name).toBe(
      'Billing › Invoices',
    );
  });
});
