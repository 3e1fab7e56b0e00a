/**
 * `GET /api/knowledge` and `POST /api/knowledge/reindex` of a running Switchboard over a
 * copy of the sample docs: sections count the answers that cited them and the tickets filed
 * under them; a reindex reads only what changed, the bot answers from the new text at once,
 * and a deleted file's sections are gone.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_KNOWLEDGE_DIR } from '../../config/index.ts';
import { createOfflineEmbedder } from '../../src/ai/offline-embedder.ts';
import type { Embedder } from '../../src/ai/types.ts';
import type { KnowledgeFile, ReindexReport } from '../../src/engine/knowledge/knowledge-base.ts';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

interface SectionJson {
  name: string;
  area: string;
  heading: string;
  file: string;
  tickets: number;
  answers: number;
  lastAnsweredAt: string | null;
}
interface KnowledgeJson {
  sections: SectionJson[];
  files: Array<Omit<KnowledgeFile, 'ingestedAt'> & { ingestedAt: string }>;
}

const MARKDOWN_FILES = 8;
const GIFT_WRAPPING = `
## Gift wrapping

Gift wrapping costs 3 euros per parcel. Choose it at checkout under Extras, where you can
also add a card message of up to 200 characters. Wrapped parcels ship without a price slip.
`;

describe('the knowledge routes', () => {
  const data = tempDataDir();
  const docs = mkdtempSync(join(tmpdir(), 'switchboard-docs-'));
  let sb: Switchboard;

  const api = async <T>(path: string, init: RequestInit = {}) => {
    const res = await fetch(`${sb.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const knowledge = async () => (await api<KnowledgeJson>('/knowledge')).body;
  const reindex = () => api<ReindexReport>('/knowledge/reindex', { method: 'POST' });
  const section = async (name: string) =>
    (await knowledge()).sections.find((s) => s.name === name) as SectionJson;
  const ask = async (text: string) => {
    const client = webClient(sb.url);
    const { conversationId } = (await client.send(text)).body;
    await sb.engine.idle();
    const reply = (await client.messages(conversationId)).messages.at(-1);
    return { conversationId, reply: reply?.text ?? '' };
  };

  beforeAll(async () => {
    cpSync(SAMPLE_KNOWLEDGE_DIR, docs, { recursive: true });
    sb = await startTestSwitchboard({ DATA_DIR: data.dir, KNOWLEDGE_DIR: docs });
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
    rmSync(docs, { recursive: true, force: true });
  });

  it('lists the sections in document order, and the files with their hash', async () => {
    const { sections, files } = await knowledge();
    expect(files.map((f) => f.path)).toEqual([
      'accounts-and-login.md',
      'billing.md',
      'checkout.md',
      'glossary.json',
      'integrations.md',
      'mobile-app.md',
      'notifications.md',
      'orders-and-shipping.md',
      'storefront.md',
    ]);
    expect(files[0]).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Date.parse(files[0]?.ingestedAt ?? '')).toBeGreaterThan(0);
    expect(sections[0]).toEqual({
      name: 'Accounts and login › Creating an account',
      area: 'Accounts and login',
      heading: 'Creating an account',
      file: 'accounts-and-login.md',
      tickets: 0,
      answers: 0,
      lastAnsweredAt: null,
    });
    const perFile = new Map(files.map((f) => [f.path, f.sections]));
    for (const path of perFile.keys()) {
      expect(perFile.get(path)).toBe(sections.filter((s) => s.file === path).length);
    }
    expect(perFile.get('glossary.json')).toBe(0);
  });

  it('counts an answer for the section the bot answered from, and a ticket under its area', async () => {
    const { reply } = await ask('How do I reset my password?');
    const cited = 'Accounts and login › Resetting your password';
    expect(reply).toContain(`_Source: ${cited}_`);
    expect(await section(cited)).toMatchObject({
      answers: 1,
      tickets: 0,
      lastAnsweredAt: expect.any(String),
    });

    const bug = await ask('Checkout crashes at the payment step every time. iPhone 15, app 3.2.1');
    const ticket = sb.store.tickets.forConversation(bug.conversationId)[0];
    expect(ticket?.productArea).toBeTruthy();
    expect(await section(ticket?.productArea as string)).toMatchObject({ tickets: 1 });
  });

  it('reindexes only the changed file, and answers from the new text right after', async () => {
    const before = (await knowledge()).sections.length;
    const unchanged = (await reindex()).body;
    expect(unchanged).toMatchObject({ changed: [], removed: [], unchanged: MARKDOWN_FILES });

    const file = join(docs, 'orders-and-shipping.md');
    writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n${GIFT_WRAPPING}`);
    const { status, body } = await reindex();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      changed: ['orders-and-shipping.md'],
      removed: [],
      unchanged: MARKDOWN_FILES - 1,
      sections: before + 1,
    });
    const added = await section('Orders and shipping › Gift wrapping');
    expect(added).toMatchObject({ file: 'orders-and-shipping.md', answers: 0 });

    const { reply } = await ask('How much does gift wrapping cost?');
    expect(reply).toContain('3 euros per parcel');
    expect(reply).toContain('_Source: Orders and shipping › Gift wrapping_');
    expect(await section('Orders and shipping › Gift wrapping')).toMatchObject({ answers: 1 });
  });

  it('removes the sections of a deleted file', async () => {
    rmSync(join(docs, 'notifications.md'));
    const { body } = await reindex();
    expect(body).toMatchObject({ changed: [], removed: ['notifications.md'] });
    const after = await knowledge();
    expect(after.sections.length).toBe(body.sections);
    expect(after.sections.filter((s) => s.area === 'Notifications')).toEqual([]);
    expect(after.files.map((f) => f.path)).not.toContain('notifications.md');
  });

  it('refuses unknown parameters and needs the token', async () => {
    const listed = await api<{ error: string; message: string }>('/knowledge?area=Billing');
    expect(listed).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const posted = await api<{ error: string }>('/knowledge/reindex', {
      method: 'POST',
      body: JSON.stringify({ full: true }),
    });
    expect(posted).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect((await fetch(`${sb.url}/api/knowledge/reindex`, { method: 'POST' })).status).toBe(401);
  });
});

describe('concurrent reindexes', () => {
  const data = tempDataDir();
  const docs = mkdtempSync(join(tmpdir(), 'switchboard-docs-'));
  let sb: Switchboard;

  /** The offline embedder at the pace of a remote one: each batch takes 20 ms. */
  const slow = (inner: Embedder): Embedder => ({
    name: inner.name,
    dimensions: inner.dimensions,
    init: () => inner.init(),
    embed: async (texts) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return inner.embed(texts);
    },
  });

  beforeAll(async () => {
    cpSync(SAMPLE_KNOWLEDGE_DIR, docs, { recursive: true });
    sb = await startTestSwitchboard(
      { DATA_DIR: data.dir, KNOWLEDGE_DIR: docs },
      { embedder: slow(createOfflineEmbedder()) },
    );
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
    rmSync(docs, { recursive: true, force: true });
  });

  it('run one after the other: the first reads the change, the others find it current', async () => {
    const file = join(docs, 'storefront.md');
    writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n\nUpdated for the test.\n`);
    const reindex = () =>
      fetch(`${sb.url}/api/knowledge/reindex`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sb.adminToken}` },
      }).then(async (res) => (await res.json()) as ReindexReport);
    const reports = await Promise.all([reindex(), reindex(), reindex()]);
    expect(reports.map((r) => r.changed)).toEqual([['storefront.md'], [], []]);
    const chunks = sb.store.knowledge.count();
    expect(reports.map((r) => r.chunks)).toEqual([chunks, chunks, chunks]);
    expect(new Set(reports.map((r) => r.sections)).size).toBe(1);
  });
});
