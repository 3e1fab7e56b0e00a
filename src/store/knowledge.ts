import type { KnowledgeHit } from '../types/index.ts';
import { type Db, inTransaction } from './db.ts';

/** One heading-delimited passage of a knowledge file. */
export interface KnowledgeChunk {
  area: string;
  section: string;
  text: string;
}

/** Knowledge files, their chunks, the FTS5 index and the vec0 vectors. */
export class KnowledgeStore {
  constructor(private readonly db: Db) {}

  /** The content hash the file was last ingested with, if its vectors are current. */
  fileHash(path: string, embedder: string): string | undefined {
    const row = this.db
      .prepare<[string, string], { sha256: string }>(
        'SELECT sha256 FROM knowledge_files WHERE path = ? AND embedder = ?',
      )
      .get(path, embedder);
    return row?.sha256;
  }

  /** Replaces a file's chunks and vectors in one transaction. */
  replaceFile(
    path: string,
    sha256: string,
    embedder: string,
    chunks: readonly KnowledgeChunk[],
    vectors: readonly Float32Array[],
  ): void {
    inTransaction(this.db, () => {
      this.deleteFile(path);
      this.db
        .prepare(
          'INSERT INTO knowledge_files (path, sha256, embedder, updated_at) VALUES (?, ?, ?, ?)',
        )
        .run(path, sha256, embedder, Date.now());
      const insert = this.db.prepare(
        'INSERT INTO knowledge_chunks (file, area, section, text, position) VALUES (?, ?, ?, ?, ?)',
      );
      const insertVec = this.db.prepare(
        'INSERT INTO knowledge_vec (rowid, embedding) VALUES (?, ?)',
      );
      chunks.forEach((chunk, i) => {
        const info = insert.run(path, chunk.area, chunk.section, chunk.text, i);
        const vector = vectors[i];
        if (vector) insertVec.run(BigInt(info.lastInsertRowid), vector);
      });
    });
  }

  /** Removes files that are no longer in the knowledge folder; returns their paths. */
  retainOnly(paths: readonly string[]): string[] {
    const keep = new Set(paths);
    const all = this.db.prepare<[], { path: string }>('SELECT path FROM knowledge_files').all();
    const gone = all.map((r) => r.path).filter((path) => !keep.has(path));
    inTransaction(this.db, () => {
      for (const path of gone) this.deleteFile(path);
    });
    return gone;
  }

  /** The indexed files with their content hash, when they were last ingested and their chunks. */
  files(): Array<{ path: string; sha256: string; updatedAt: number; chunks: number }> {
    return this.db
      .prepare<[], { path: string; sha256: string; updatedAt: number; chunks: number }>(
        `SELECT f.path, f.sha256, f.updated_at AS updatedAt,
           (SELECT count(*) FROM knowledge_chunks c WHERE c.file = f.path) AS chunks
         FROM knowledge_files f ORDER BY f.path`,
      )
      .all();
  }

  private deleteFile(path: string): void {
    this.db
      .prepare(
        'DELETE FROM knowledge_vec WHERE rowid IN (SELECT id FROM knowledge_chunks WHERE file = ?)',
      )
      .run(path);
    this.db.prepare('DELETE FROM knowledge_files WHERE path = ?').run(path);
  }

  /** Nearest chunks by cosine distance (sqlite-vec KNN). Score is cosine similarity. */
  searchVector(vector: Float32Array, k: number): KnowledgeHit[] {
    return this.db
      .prepare<[Float32Array, number], HitRow & { distance: number }>(
        `SELECT c.id, c.file, c.section, c.text, v.distance FROM knowledge_vec v
         JOIN knowledge_chunks c ON c.id = v.rowid
         WHERE v.embedding MATCH ? AND k = ? ORDER BY v.distance`,
      )
      .all(vector, k)
      .map((r) => toHit(r, 1 - r.distance));
  }

  /** Best chunks by BM25 over section titles and text. Score is the negated bm25 rank. */
  searchKeyword(query: string, k: number): KnowledgeHit[] {
    const terms = query
      .toLowerCase()
      .match(/[\p{L}\p{N}]{2,}/gu)
      ?.map((t) => `"${t}"`);
    if (!terms?.length) return [];
    return this.db
      .prepare<[string, number], HitRow & { rank: number }>(
        `SELECT c.id, c.file, c.section, c.text, bm25(knowledge_fts, 2.0, 1.0) AS rank
         FROM knowledge_fts JOIN knowledge_chunks c ON c.id = knowledge_fts.rowid
         WHERE knowledge_fts MATCH ? ORDER BY rank LIMIT ?`,
      )
      .all(terms.join(' OR '), k)
      .map((r) => toHit(r, -r.rank));
  }

  /**
   * A short string that changes whenever the indexed docs do (a file added, changed or
   * removed, or indexed for another embedder): what the section catalog checks per turn
   * instead of reading every chunk.
   */
  revision(): string {
    return String(
      this.db.prepare<[], { n: number }>('SELECT n FROM knowledge_revision').get()?.n ?? 0,
    );
  }

  /** Every section's chunks in document order, for the section catalog. */
  sections(): Array<{ id: number; section: string; area: string; text: string; file: string }> {
    return this.db
      .prepare<[], { id: number; section: string; area: string; text: string; file: string }>(
        'SELECT id, section, area, text, file FROM knowledge_chunks ORDER BY file, position',
      )
      .all();
  }

  count(): number {
    return (
      this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM knowledge_chunks').get()?.n ?? 0
    );
  }
}

interface HitRow {
  id: number;
  file: string;
  section: string;
  text: string;
}

const toHit = (r: HitRow, score: number): KnowledgeHit => ({
  chunkId: r.id,
  file: r.file,
  section: r.section,
  text: r.text,
  score,
});
