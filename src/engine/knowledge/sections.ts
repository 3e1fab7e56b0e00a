import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../../ai/types.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { SECTION_SEPARATOR } from './chunk.ts';
import { acronymsOf, spellingCorrector, termsOf, wordsOf } from './terms.ts';

/** One section of the product docs: what a question is answered from and a ticket filed under. */
export interface Section {
  /** "File H1 › Section H2", e.g. "Mobile app › Settings". */
  name: string;
  /** The file's H1, e.g. "Mobile app". */
  area: string;
  /** The section's own heading, e.g. "Settings". */
  heading: string;
  /** Customer words for it: the glossary's, and acronyms of its heading. */
  synonyms: string[];
  /** The section's text (all its chunks). */
  text: string;
  /** Its chunks in document order: what an answer quotes. */
  chunks: SectionChunk[];
}

/** One indexed chunk of a section. */
export interface SectionChunk {
  chunkId: number;
  file: string;
  text: string;
}

/** How well a text matches a section, and why. */
export interface SectionMatch {
  section: Section;
  /** The combined score sections are ranked by (see {@link SectionCatalog.rank}). */
  score: number;
  /** Best cosine similarity of the text to the section's name, heading, synonyms or text. */
  similarity: number;
  /** True when the text uses one of the section's glossary words or acronyms. */
  named: boolean;
  /** Share of the text's terms (IDF-weighted) in the section's heading and synonyms. */
  titleOverlap: number;
  /** Share of the text's terms (IDF-weighted) anywhere in the section's text. */
  bodyOverlap: number;
}

/** Synonyms per section, in the knowledge folder beside the docs (see {@link readGlossary}). */
export const GLOSSARY_FILE = 'glossary.json';

/** How much each kind of evidence adds to a section's score, besides its similarity. */
export const MATCH_WEIGHTS = Object.freeze({ named: 0.2, title: 0.6, body: 0.9 });

/** Characters of section text that describe it as a probe (its opening says what it is about). */
const PROBE_CHARS = 600;

interface Indexed {
  section: Section;
  /** Its probes' rows in {@link Catalog.probes}: `[from, to)`. */
  probes: [number, number];
  titleTerms: Set<string>;
  bodyTerms: Set<string>;
  /** Each synonym as its terms (all must appear), and each one-word synonym as a word. */
  names: Array<{ terms: string[]; word?: string }>;
}

interface Catalog {
  sections: Indexed[];
  /** Every section's probe vectors, one row after another (a turn scores them all at once). */
  probes: Float32Array;
  dimensions: number;
  idf: Map<string, number>;
  /** Misspelled words corrected to the docs' own (see {@link spellingCorrector}). */
  correct: (text: string) => string;
}

/**
 * The product's doc sections, indexed once per change of the docs or the glossary, and
 * ranked against a customer's text on several kinds of evidence: embedding similarity to
 * the section's name, heading, glossary words and opening text; glossary words and heading
 * acronyms used outright ("2fa"); and how much of the text's vocabulary the heading and
 * the body share, weighted by how rare each word is across sections. Misspelled words are
 * corrected to the docs' own words first. Questions (the retriever) and bug reports (the
 * normalizer) are matched the same way.
 */
export interface SectionCatalog {
  /** Every section, best match first. */
  rank(text: string): Promise<SectionMatch[]>;
  /** The text with words the docs do not use corrected to the nearest ones they do. */
  correct(text: string): Promise<string>;
}

export interface SectionCatalogOptions {
  store: Pick<Store, 'knowledge'>;
  embedder: Embedder;
  /** Where `glossary.json` may live (the knowledge folder). */
  knowledgeDir?: string | undefined;
  logger?: Logger | undefined;
}

export function createSectionCatalog(options: SectionCatalogOptions): SectionCatalog {
  let built: { revision: string; catalog: Promise<Catalog> } | undefined;

  /**
   * The catalog for the docs and glossary as last indexed (`ingestKnowledge`): one small
   * query per call, and a rebuild only when the indexed revision moved.
   */
  async function current(): Promise<Catalog> {
    const revision = options.store.knowledge.revision();
    if (built?.revision === revision) {
      const catalog = await built.catalog.catch(() => undefined);
      if (catalog) return catalog;
    }
    built = { revision, catalog: read() };
    return built.catalog;
  }

  async function read(): Promise<Catalog> {
    const rows = options.store.knowledge.sections();
    const { glossary } = options.knowledgeDir
      ? await readGlossary(options.knowledgeDir, (error) =>
          options.logger?.warn({ err: error }, 'glossary.json is not valid JSON; ignored'),
        )
      : { glossary: {} };
    return buildCatalog(options.embedder, sectionsFrom(rows, glossary));
  }

  return {
    async correct(text) {
      return (await current()).correct(text);
    },
    async rank(text) {
      const catalog = await current();
      const corrected = catalog.correct(text);
      const [vector] = await options.embedder.embed([corrected]);
      return rankSections(catalog, corrected, vector as Float32Array);
    },
  };
}

function rankSections(catalog: Catalog, text: string, vector: Float32Array): SectionMatch[] {
  const terms = [...new Set(termsOf(text))];
  const words = new Set(wordsOf(text));
  const weightOf = (t: string) => catalog.idf.get(t) ?? 1;
  const total = terms.reduce((sum, t) => sum + weightOf(t), 0) || 1;
  const share = (known: Set<string>) =>
    terms.reduce((sum, t) => sum + (known.has(t) ? weightOf(t) : 0), 0) / total;
  const termSet = new Set(terms);
  const similarities = similaritiesTo(catalog, vector);
  return catalog.sections
    .map(({ section, probes: [from, to], titleTerms, bodyTerms, names }): SectionMatch => {
      let similarity = 0;
      for (let row = from; row < to; row++)
        similarity = Math.max(similarity, similarities[row] ?? 0);
      const named = names.some((n) =>
        n.word ? words.has(n.word) : n.terms.every((t) => termSet.has(t)),
      );
      const titleOverlap = share(titleTerms);
      const bodyOverlap = share(bodyTerms);
      const score =
        similarity +
        (named ? MATCH_WEIGHTS.named : 0) +
        MATCH_WEIGHTS.title * titleOverlap +
        MATCH_WEIGHTS.body * bodyOverlap;
      return { section, score, similarity, named, titleOverlap, bodyOverlap };
    })
    .sort((a, b) => b.score - a.score || byName(a.section.name, b.section.name));
}

/**
 * Ties (sections nothing in the text points to) in a fixed order; code-point order, since
 * `localeCompare` on every tie was a third of a ranking.
 */
function byName(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

async function buildCatalog(embedder: Embedder, sections: Section[]): Promise<Catalog> {
  const texts = sections.map((s) => [
    `${s.area} ${s.heading}`,
    s.heading,
    ...s.synonyms,
    s.text.slice(0, PROBE_CHARS),
  ]);
  const flat = await embedder.embed(texts.flat());
  const dimensions = flat[0]?.length ?? 0;
  const probes = new Float32Array(flat.length * dimensions);
  for (const [row, vector] of flat.entries()) probes.set(vector, row * dimensions);
  let at = 0;
  const df = new Map<string, number>();
  const vocabulary = new Map<string, number>();
  const indexed = sections.map((section, i): Indexed => {
    const list = texts[i] as string[];
    const rows: [number, number] = [at, at + list.length];
    at += list.length;
    const titleTerms = new Set(termsOf([section.heading, ...section.synonyms].join(' ')));
    const bodyTerms = new Set(termsOf(`${section.area} ${section.text}`));
    for (const t of new Set([...titleTerms, ...bodyTerms])) df.set(t, (df.get(t) ?? 0) + 1);
    for (const w of wordsOf(`${section.heading} ${section.synonyms.join(' ')} ${section.text}`)) {
      vocabulary.set(w, (vocabulary.get(w) ?? 0) + 1);
    }
    const names = section.synonyms.map((s) => {
      const parts = wordsOf(s);
      return parts.length === 1
        ? { terms: termsOf(s), word: parts[0] as string }
        : { terms: termsOf(s) };
    });
    return { section, probes: rows, titleTerms, bodyTerms, names };
  });
  const n = sections.length;
  const idf = new Map([...df].map(([t, count]) => [t, Math.log(1 + n / count)]));
  return { sections: indexed, probes, dimensions, idf, correct: spellingCorrector(vocabulary) };
}

/**
 * Sections from the knowledge chunks: every `H1 › H2` section is one; a file without `##`
 * sections is one section named by its H1. Long sections split into several chunks become
 * one section. Glossary words are attached by exact section name; entries naming no
 * section are ignored. Each section is also known by the acronyms of its heading.
 */
export function sectionsFrom(
  rows: ReadonlyArray<{ id: number; section: string; area: string; text: string; file: string }>,
  glossary: Readonly<Record<string, readonly string[]>> = {},
): Section[] {
  const withSections = new Set(
    rows.filter((s) => s.section.includes(SECTION_SEPARATOR)).map((s) => s.area),
  );
  const byName = new Map<string, Section>();
  for (const r of rows) {
    const isSection = r.section.includes(SECTION_SEPARATOR) || !withSections.has(r.area);
    if (!isSection) continue;
    const chunk = { chunkId: r.id, file: r.file, text: r.text };
    const existing = byName.get(r.section);
    if (existing) {
      existing.text = `${existing.text}\n${r.text}`;
      existing.chunks.push(chunk);
      continue;
    }
    const heading = r.section.split(SECTION_SEPARATOR).at(-1) ?? r.section;
    const synonyms = [...(glossary[r.section] ?? [])];
    for (const acronym of acronymsOf(heading)) {
      if (!synonyms.some((s) => s.toLowerCase() === acronym)) synonyms.push(acronym);
    }
    byName.set(r.section, {
      name: r.section,
      area: r.area,
      heading,
      synonyms,
      text: r.text,
      chunks: [chunk],
    });
  }
  return [...byName.values()];
}

/**
 * Reads `glossary.json` from the knowledge folder: `{ "<section>": ["synonym", ...] }`.
 * A missing file is an empty glossary; a malformed one is reported through `onError` and
 * treated as empty, so a typo in the glossary never stops answers or tickets.
 */
export async function readGlossary(
  knowledgeDir: string,
  onError?: (error: unknown) => void,
): Promise<{ glossary: Record<string, string[]> }> {
  let raw: string;
  try {
    raw = await readFile(join(knowledgeDir, GLOSSARY_FILE), 'utf8');
  } catch {
    return { glossary: {} };
  }
  try {
    const parsed = JSON.parse(raw) as unknown;
    const glossary: Record<string, string[]> = {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [area, words] of Object.entries(parsed)) {
        if (Array.isArray(words)) glossary[area] = words.filter((w) => typeof w === 'string');
      }
    }
    return { glossary };
  } catch (error) {
    onError?.(error);
    return { glossary: {} };
  }
}

/** The cosine similarity of `vector` to every probe (all unit length), in row order. */
function similaritiesTo({ probes, dimensions }: Catalog, vector: Float32Array): Float64Array {
  const out = new Float64Array(dimensions > 0 ? probes.length / dimensions : 0);
  // Four sums side by side: the loop is most of a ranking, and this runs it twice as fast.
  const even = dimensions - (dimensions % 4);
  for (let row = 0, at = 0; row < out.length; row++, at += dimensions) {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = 0;
    for (; i < even; i += 4) {
      a += (probes[at + i] as number) * (vector[i] as number);
      b += (probes[at + i + 1] as number) * (vector[i + 1] as number);
      c += (probes[at + i + 2] as number) * (vector[i + 2] as number);
      d += (probes[at + i + 3] as number) * (vector[i + 3] as number);
    }
    for (; i < dimensions; i++) a += (probes[at + i] as number) * (vector[i] as number);
    out[row] = a + b + c + d;
  }
  return out;
}
