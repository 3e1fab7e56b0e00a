import type { Embedder } from '../../ai/types.ts';
import type { Store } from '../../store/index.ts';
import type { KnowledgeHit } from '../../types/index.ts';
import type { SectionCatalog } from './sections.ts';

/** Finds the doc passages that answer a question, best first. */
export interface Retriever {
  search(query: string, k?: number): Promise<KnowledgeHit[]>;
}

/** Chunks the vector search returns when a section has several, to pick the one that answers. */
const CHUNK_CANDIDATES = 16;

/**
 * Retrieval by section first: the catalog ranks the doc sections on all its evidence
 * (similarity, glossary words and acronyms, shared vocabulary), and each of the best `k`
 * sections contributes its chunk nearest the question (sqlite-vec KNN), or its first. Each
 * hit's `score` is the section's match score, so callers can judge how well the docs cover
 * the question; `keyword` says the question used one of the section's glossary words.
 */
export function createRetriever(
  store: Pick<Store, 'knowledge'>,
  embedder: Embedder,
  catalog: SectionCatalog,
): Retriever {
  return {
    async search(query, k = 4) {
      const ranked = (await catalog.rank(query)).slice(0, k);
      if (ranked.length === 0) return [];
      const needsChoice = ranked.some((m) => m.section.chunks.length > 1);
      const [vector] = needsChoice ? await embedder.embed([await catalog.correct(query)]) : [];
      const nearest = vector ? store.knowledge.searchVector(vector, CHUNK_CANDIDATES) : [];
      return ranked.flatMap(({ section, score, similarity, named }): KnowledgeHit[] => {
        const chunk =
          nearest.find((h) => h.section === section.name) ??
          (section.chunks[0] && { ...section.chunks[0], section: section.name });
        if (!chunk) return [];
        return [
          {
            ...chunk,
            score,
            similarity,
            keyword: named,
          },
        ];
      });
    },
  };
}
