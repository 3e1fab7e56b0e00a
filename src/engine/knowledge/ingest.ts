import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { Embedder } from '../../ai/types.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { chunkMarkdown } from './chunk.ts';
import { GLOSSARY_FILE } from './sections.ts';

/** What one ingestion pass did. */
export interface IngestReport {
  files: number;
  embedded: number;
  unchanged: number;
  chunks: number;
  /** Files (the glossary included) read and indexed again because their content changed. */
  changed: string[];
  /** Files indexed before that are gone from the folder; their chunks were removed. */
  removed: string[];
}

/**
 * Reads every markdown file under `dir`, and re-chunks and re-embeds only the files whose
 * content (or the embedder) changed since the last pass. Files that disappeared are removed.
 * The glossary's hash is recorded with them, so the indexed revision covers it too.
 */
export async function ingestKnowledge(
  dir: string,
  store: Store,
  embedder: Embedder,
  logger?: Logger,
): Promise<IngestReport> {
  const files = (await listMarkdown(dir)).sort();
  const report: IngestReport = {
    files: files.length,
    embedded: 0,
    unchanged: 0,
    chunks: 0,
    changed: [],
    removed: [],
  };
  const seen: string[] = [];
  for (const file of files) {
    const path = relative(dir, file);
    seen.push(path);
    const content = await readFile(file, 'utf8');
    const sha = createHash('sha256').update(content).digest('hex');
    if (store.knowledge.fileHash(path, embedder.name) === sha) {
      report.unchanged++;
      continue;
    }
    const chunks = chunkMarkdown(content, titleFromFile(file));
    const vectors = await embedder.embed(chunks.map((c) => `${c.section}\n${c.text}`));
    store.knowledge.replaceFile(path, sha, embedder.name, chunks, vectors);
    report.embedded++;
    report.changed.push(path);
  }
  // The glossary has no chunks; recording its hash makes the section catalog follow it too.
  const glossary = await readFile(join(dir, GLOSSARY_FILE), 'utf8').catch(() => undefined);
  if (glossary !== undefined) {
    seen.push(GLOSSARY_FILE);
    const sha = createHash('sha256').update(glossary).digest('hex');
    if (store.knowledge.fileHash(GLOSSARY_FILE, embedder.name) !== sha) {
      store.knowledge.replaceFile(GLOSSARY_FILE, sha, embedder.name, [], []);
      report.changed.push(GLOSSARY_FILE);
    }
  }
  report.removed = store.knowledge.retainOnly(seen);
  report.chunks = store.knowledge.count();
  logger?.info({ dir, ...report }, 'knowledge ingested');
  return report;
}

async function listMarkdown(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter(
      (e) => e.isFile() && /\.(md|markdown)$/i.test(e.name) && e.name.toLowerCase() !== 'readme.md',
    )
    .map((e) => join(e.parentPath, e.name));
}

function titleFromFile(file: string): string {
  const name = basename(file)
    .replace(/\.(md|markdown)$/i, '')
    .replace(/[-_]+/g, ' ');
  return name.charAt(0).toUpperCase() + name.slice(1);
}
