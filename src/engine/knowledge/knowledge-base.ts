import type { Embedder } from '../../ai/types.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { type IngestReport, ingestKnowledge } from './ingest.ts';
import { sectionsFrom } from './sections.ts';

/** What one reindex did, as `POST /api/knowledge/reindex` answers it. */
export interface ReindexReport {
  /** Files read and indexed again because their content changed (or they are new). */
  changed: string[];
  /** Files that are gone from the folder; their sections were removed. */
  removed: string[];
  /** Markdown files that were current already. */
  unchanged: number;
  /** Sections indexed now. */
  sections: number;
  /** Chunks indexed now. */
  chunks: number;
}

/** One doc section with what was made of it: the tickets filed under it and the answers citing it. */
export interface SectionUse {
  /** "File H1 › Section H2", as tickets' product areas and citations name it. */
  name: string;
  area: string;
  heading: string;
  file: string;
  tickets: number;
  answers: number;
  lastAnsweredAt: number | null;
}

/** An indexed file of the knowledge folder. */
export interface KnowledgeFile {
  path: string;
  sha256: string;
  ingestedAt: number;
  sections: number;
  chunks: number;
}

/**
 * The product docs as Switchboard knows them: the one way to (re)index the knowledge folder,
 * used at startup and by the admin API, and what became of each section.
 */
export interface KnowledgeBase {
  /**
   * Re-reads the folder, indexing again only the files whose content changed and removing
   * the chunks of files that are gone. Calls run one after another, never interleaved; the
   * retriever and the section catalog see the new docs as soon as it resolves.
   */
  reindex(): Promise<ReindexReport>;
  /** The sections in document order with their ticket and answer counts, and the files. */
  catalog(): { sections: SectionUse[]; files: KnowledgeFile[] };
}

export interface KnowledgeBaseOptions {
  dir: string;
  store: Store;
  embedder: Embedder;
  logger?: Logger | undefined;
}

export function createKnowledgeBase(options: KnowledgeBaseOptions): KnowledgeBase {
  const { store } = options;
  let tail: Promise<unknown> = Promise.resolve();

  const sections = () =>
    sectionsFrom(store.knowledge.sections()).map((s) => ({ ...s, file: s.chunks[0]?.file ?? '' }));

  const toReport = (ingested: IngestReport): ReindexReport => ({
    changed: ingested.changed,
    removed: ingested.removed,
    unchanged: ingested.unchanged,
    sections: sections().length,
    chunks: ingested.chunks,
  });

  return {
    reindex() {
      const run = tail.then(() =>
        ingestKnowledge(options.dir, store, options.embedder, options.logger),
      );
      tail = run.catch(() => undefined);
      return run.then(toReport);
    },
    catalog() {
      const all = sections();
      const tickets = store.overview.get().byProductArea;
      const answers = store.outcomes.answers();
      const perFile = new Map<string, number>();
      for (const s of all) perFile.set(s.file, (perFile.get(s.file) ?? 0) + 1);
      return {
        sections: all.map((s) => ({
          name: s.name,
          area: s.area,
          heading: s.heading,
          file: s.file,
          tickets: tickets[s.name] ?? 0,
          answers: answers.get(s.name)?.answers ?? 0,
          lastAnsweredAt: answers.get(s.name)?.lastAnsweredAt ?? null,
        })),
        files: store.knowledge.files().map((f) => ({
          path: f.path,
          sha256: f.sha256,
          ingestedAt: f.updatedAt,
          sections: perFile.get(f.path) ?? 0,
          chunks: f.chunks,
        })),
      };
    },
  };
}
