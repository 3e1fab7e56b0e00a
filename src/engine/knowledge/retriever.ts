import type { Embedder } from '../../ai/types.ts';
import type { Store } from '../../store/index.ts';
import type { KnowledgeHit } from '../../types/index.ts';

/** Hybrid retrieval: sqlite-vec KNN and FTS5 BM25, fused by reciprocal rank. */
export interface Retriever {
  search(query: string, k?: number): Promise<KnowledgeHit[]>;
}

const RRF_K = 60;

/**
 * Each hit keeps its cosine similarity from the vector search as `score` (0 when it was
 * found by keywords only), so callers can judge how well the docs cover a question.
 * Order is by fused rank.
 */
export function createRetriever(store: Store, embedder: Embedder): Retriever {
  return {
    async search(query, k = 4) {
      const [vector] = await embedder.embed([query]);
      const byVector = vector ? store.knowledge.searchVector(vector, 8) : [];
      const byKeyword = store.knowledge.searchKeyword(query, 8);
      const fused = new Map<
        number,
        { hit: KnowledgeHit; rrf: number; cosine: number; keyword: boolean }
      >();
      byVector.forEach((hit, rank) => {
        fused.set(hit.chunkId, { hit, rrf: 1 / (RRF_K + rank), cosine: hit.score, keyword: false });
      });
      byKeyword.forEach((hit, rank) => {
        const entry = fused.get(hit.chunkId);
        if (entry) {
          entry.rrf += 1 / (RRF_K + rank);
          entry.keyword = true;
        } else fused.set(hit.chunkId, { hit, rrf: 1 / (RRF_K + rank), cosine: 0, keyword: true });
      });
      return [...fused.values()]
        .sort((a, b) => b.rrf - a.rrf)
        .slice(0, k)
        .map((e) => ({ ...e.hit, score: e.cosine, keyword: e.keyword }));
    },
  };
}
