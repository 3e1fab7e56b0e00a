import { createHash } from 'node:crypto';
import type { AreaCandidate, AreaChooser } from '../../ai/choose-area.ts';
import { describeError } from '../../ai/errors.ts';
import type { Embedder } from '../../ai/types.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { redactPII } from '../redact.ts';
import { canonicalPhrase } from './canonical.ts';
import { type ProductArea, productAreasFrom, readGlossary } from './product-areas.ts';

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
  /** The model path; without it, unclear matches are marked low-confidence. */
  chooser?: AreaChooser | undefined;
  /** Take the nearest area without asking a model at or above this similarity. Default 0.6. */
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

/** The default similarity at which the nearest area is taken without a model. */
export const AREA_THRESHOLD = 0.6;

interface AreaIndex {
  fingerprint: string;
  areas: ProductArea[];
  /** Per area: the vectors of its name, heading, each synonym and its text. */
  probes: Float32Array[][];
}

/**
 * The normalizer. Product areas come from the knowledge sections plus the optional
 * glossary; each area is embedded once as several probes (its "H1 H2" name, its heading,
 * each glossary synonym and the opening of its text), and an issue's similarity to an area
 * is the best of its probes. The index is rebuilt when the sections or the glossary change.
 *
 * At or above `areaThreshold` the nearest area is taken with no model call. Below it the
 * model (if any) picks among the top candidates and also writes the canonical phrase;
 * otherwise, or when the model fails, the best guess is kept and marked low-confidence.
 */
export function createNormalizer(options: NormalizerOptions): Normalizer {
  const threshold = options.areaThreshold ?? AREA_THRESHOLD;
  const offered = options.candidates ?? 5;
  const counts = { normalized: 0, byEmbedding: 0, byModel: 0, lowConfidence: 0, modelFailures: 0 };
  let index: Promise<AreaIndex> | undefined;

  async function currentIndex(): Promise<AreaIndex> {
    const sections = options.store.knowledge.sections();
    const { glossary, raw } = options.knowledgeDir
      ? await readGlossary(options.knowledgeDir, (e) =>
          options.logger?.warn(
            { err: describeError(e) },
            'glossary.json is not valid JSON; ignored',
          ),
        )
      : { glossary: {}, raw: '' };
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(sections.map((s) => [s.section, s.text])))
      .update(raw)
      .digest('hex');
    const cached = index ? await index.catch(() => undefined) : undefined;
    if (cached?.fingerprint === fingerprint) return cached;
    index = buildIndex(options.embedder, productAreasFrom(sections, glossary), fingerprint);
    return index;
  }

  return {
    async normalize(text) {
      const canonical = canonicalPhrase(text);
      const [{ areas, probes }, [vector]] = await Promise.all([
        currentIndex(),
        options.embedder.embed([canonical]),
      ]);
      counts.normalized++;
      const ranked = rankAreas(areas, probes, vector as Float32Array);
      const best = ranked[0];
      if (best && best.score >= threshold) {
        counts.byEmbedding++;
        return {
          productArea: best.area.name,
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
            candidates: top.map(({ area }) => describe(area)),
          });
          const chosen = top.find((r) => r.area.name === choice.area);
          counts.byModel++;
          const phrase = redactPII(choice.canonical).trim();
          return {
            productArea: chosen?.area.name ?? null,
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
        productArea: best?.area.name ?? null,
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

async function buildIndex(
  embedder: Embedder,
  areas: ProductArea[],
  fingerprint: string,
): Promise<AreaIndex> {
  const texts = areas.map((a) => [
    `${a.name.split(' › ')[0]} ${a.heading}`,
    a.heading,
    ...a.synonyms,
    a.text,
  ]);
  const flat = await embedder.embed(texts.flat());
  let at = 0;
  const probes = texts.map((list) => {
    const vectors = flat.slice(at, at + list.length);
    at += list.length;
    return vectors;
  });
  return { fingerprint, areas, probes };
}

function rankAreas(
  areas: readonly ProductArea[],
  probes: readonly Float32Array[][],
  vector: Float32Array,
): Array<{ area: ProductArea; score: number }> {
  return areas
    .map((area, i) => ({
      area,
      score: Math.max(...(probes[i] ?? []).map((p) => dotProduct(p, vector))),
    }))
    .sort((a, b) => b.score - a.score || a.area.name.localeCompare(b.area.name));
}

function dotProduct(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function describe(area: ProductArea): AreaCandidate {
  const words = area.synonyms.length > 0 ? ` (customers say: ${area.synonyms.join(', ')})` : '';
  return {
    name: area.name,
    description: `${area.heading}${words}. ${area.text.replace(/\s+/g, ' ').slice(0, 200)}`,
  };
}
