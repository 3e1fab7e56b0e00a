import type { AreaCandidate, AreaChooser } from '../../ai/choose-area.ts';
import { describeError } from '../../ai/errors.ts';
import type { Embedder } from '../../ai/types.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { createSectionCatalog, type Section, type SectionCatalog } from '../knowledge/sections.ts';
import { redactPII } from '../redact.ts';
import { canonicalPhrase } from './canonical.ts';

/** How the product area of an issue was decided. */
export type AreaSource = 'embedding' | 'model' | 'low_confidence';

/** A customer's issue in the product's terms. */
export interface NormalizedIssue {
  /** "H1 › H2" of the docs, or null when nothing matched (or the model said none fits). */
  productArea: string | null;
  /** Short, redacted problem phrase; clustering embeds it. */
  canonical: string;
  /** Cosine similarity of the chosen area to the issue (0 when none). */
  confidence: number;
  source: AreaSource;
}

/** How often each path decided, since start: `/metrics` and the evaluation report these. */
export interface NormalizerStats {
  normalized: number;
  byEmbedding: number;
  byModel: number;
  lowConfidence: number;
  /** Model calls that failed after retries (counted in `lowConfidence` too). */
  modelFailures: number;
  /** Share of issues decided without a model call (0..1; 1 before any issue). */
  modelSkippedShare: number;
}

/** What `createNormalizer` needs. */
export interface NormalizerOptions {
  store: Store;
  embedder: Embedder;
  /** Where `glossary.json` may live (the knowledge folder). */
  knowledgeDir?: string | undefined;
  /** The doc sections, shared with retrieval; built from the store when absent. */
  catalog?: SectionCatalog | undefined;
  /** The model path; without it, unclear matches are marked low-confidence. */
  chooser?: AreaChooser | undefined;
  /** Take the nearest area without asking a model at or above this match score. Default 1.0. */
  areaThreshold?: number | undefined;
  /** Areas offered to the model. Default 5. */
  candidates?: number | undefined;
  logger?: Logger | undefined;
}

/** Maps customer words to product areas and canonical phrases (DESIGN.md, Normalizer). */
export interface Normalizer {
  /** `text` should already be redacted; it is redacted again before any model call. */
  normalize(text: string): Promise<NormalizedIssue>;
  stats(): NormalizerStats;
}

/** The default match score (see SectionCatalog) at which the best area is taken without a model. */
export const AREA_THRESHOLD = 1.0;

/**
 * The normalizer. Product areas are the doc sections, ranked by the section catalog on all
 * its evidence (similarity to the name, heading, glossary words and text; glossary words
 * and acronyms used outright; shared vocabulary). A bug report is matched on what it is
 * about, not how it fails: the generic words of failure ("crashes", "error", "doesn't
 * work") are left out of the match, so "checkout crashes at the payment step" lands in
 * checkout, not in a troubleshooting page about crashes.
 *
 * At or above `areaThreshold` the best section is taken with no model call. Below it the
 * model (if any) picks among the top candidates and also writes the canonical phrase;
 * otherwise, or when the model fails, the best guess is kept and marked low-confidence.
 */
export function createNormalizer(options: NormalizerOptions): Normalizer {
  const threshold = options.areaThreshold ?? AREA_THRESHOLD;
  const offered = options.candidates ?? 5;
  const counts = { normalized: 0, byEmbedding: 0, byModel: 0, lowConfidence: 0, modelFailures: 0 };
  const catalog =
    options.catalog ??
    createSectionCatalog({
      store: options.store,
      embedder: options.embedder,
      knowledgeDir: options.knowledgeDir,
      logger: options.logger,
    });

  return {
    async normalize(text) {
      const canonical = canonicalPhrase(text);
      const about = withoutFailureWords(canonical);
      const ranked = await catalog.rank(about || canonical);
      counts.normalized++;
      const best = ranked[0];
      if (best && best.score >= threshold) {
        counts.byEmbedding++;
        return {
          productArea: best.section.name,
          canonical,
          confidence: best.score,
          source: 'embedding',
        };
      }
      if (options.chooser && ranked.length > 0) {
        const top = ranked.slice(0, offered);
        try {
          const choice = await options.chooser({
            text: redactPII(text),
            candidates: top.map(({ section }) => describe(section)),
          });
          const chosen = top.find((r) => r.section.name === choice.area);
          counts.byModel++;
          const phrase = redactPII(choice.canonical).trim();
          return {
            productArea: chosen?.section.name ?? null,
            canonical: phrase ? canonicalPhrase(phrase) : canonical,
            confidence: chosen?.score ?? 0,
            source: 'model',
          };
        } catch (error) {
          counts.modelFailures++;
          options.logger?.warn({ err: describeError(error) }, 'area choice failed; low confidence');
        }
      }
      counts.lowConfidence++;
      return {
        productArea: best?.section.name ?? null,
        canonical,
        confidence: best?.score ?? 0,
        source: 'low_confidence',
      };
    },
    stats() {
      const decidedWithoutModel = counts.normalized - counts.byModel - counts.modelFailures;
      return {
        ...counts,
        modelSkippedShare: counts.normalized === 0 ? 1 : decidedWithoutModel / counts.normalized,
      };
    },
  };
}

// How things fail, in any product: left out when matching a report to the area it is about.
const FAILURE_WORDS =
  /\b(?:crash(?:es|ed|ing)?|freez(?:es|ing)|froze|frozen|errors?|fail(?:s|ed|ing|ure)?|broken|breaks|bug(?:gy|s)?|glitch\w*|stuck|hangs?|not\s+working|(?:doesn'?t|does\s+not|won'?t|isn'?t|can'?t|cannot)\s+work|keeps?|kept|always|every\s*time|suddenly|anymore|again|problem|issue)\b/gi;

function withoutFailureWords(phrase: string): string {
  return phrase.replace(FAILURE_WORDS, ' ').replace(/\s+/g, ' ').trim();
}

function describe(section: Section): AreaCandidate {
  const words =
    section.synonyms.length > 0 ? ` (customers say: ${section.synonyms.join(', ')})` : '';
  return {
    name: section.name,
    description: `${section.heading}${words}. ${section.text.replace(/\s+/g, ' ').slice(0, 200)}`,
  };
}
