import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../../ai/types.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { SECTION_SEPARATOR } from './chunk.ts';
import { acronymsOf, correctSpelling, termsOf, wordsOf } from './terms.ts';

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
  probes: Float32Array[];
  titleTerms: Set<string>;
  bodyTerms: Set<string>;
  /** Each synonym as its terms (all must appear), and each one-word synonym as a word. */
  names: Array<{ terms: string[]; word?: string }>;
}

interface Catalog {
  sections: Indexed[];
  idf: Map<string, number>;
  vocabulary: Map<string, number>;
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
      return correctSpelling(text, (await current()).vocabulary);
    },
    async rank(text) {
      const catalog = await current();
      const corrected = correctSpelling(text, catalog.vocabulary);
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
  return catalog.sections
    .map(({ section, probes, titleTerms, bodyTerms, names }): SectionMatch => {
      const similarity = Math.max(0, ...probes.map((p) => dot(p, vector)));
      const named = names.some((n) =>
        n.word ? words.has(n.word) : n.terms.every((t) => terms.includes(t)),
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
    .sort((a, b) => b.score - a.score || a.section.name.localeCompare(b.section.name));
}

async function buildCatalog(embedder: Embedder, sections: Section[]): Promise<Catalog> {
  const texts = sections.map((s) => [
    `${s.area} ${s.heading}`,
    s.heading,
    ...s.synonyms,
    s.text.slice(0, PROBE_CHARS),
  ]);
  const flat = await embedder.embed(texts.flat());
  let at = 0;
  const df = new Map<string, number>();
  const vocabulary = new Map<string, number>();
  const indexed = sections.map((section, i): Indexed => {
    const list = texts[i] as string[];
    const probes = flat.slice(at, at + list.length);
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
    return { section, probes, titleTerms, bodyTerms, names };
  });
  const n = sections.length;
  const idf = new Map([...df].map(([t, count]) => [t, Math.log(1 + n / count)]));
  return { sections: indexed, idf, vocabulary };
}

/**
 * Sections from the knowledge chunks: every `H1 › H2` section is one; a file without `##`
 * sections is one section named by its H1. Long sections split into several chunks become
 * one section. Glossary words are attached by exact section name; entries naming no
 * section are ignored. Each section is also known by the acronyms of its heading.
 */
export function sectionsFrom(
  rows: ReadonlyArray<{ section: string; area: string; text: string }>,
  glossary: Readonly<Record<string, readonly string[]>> = {},
): Section[] {
  const withSections = new Set(
    rows.filter((s) => s.section.includes(SECTION_SEPARATOR)).map((s) => s.area),
  );
  const byName = new Map<string, Section>();
  for (const r of rows) {
    const isSection = r.section.includes(SECTION_SEPARATOR) || !withSections.has(r.area);
    if (!isSection) continue;
    const existing = byName.get(r.section);
    if (existing) {
      existing.text = `${existing.text}\n${r.text}`;
      continue;
    }
    const heading = r.section.split(SECTION_SEPARATOR).at(-1) ?? r.section;
    const synonyms = [...(glossary[r.section] ?? [])];
    for (const acronym of acronymsOf(heading)) {
      if (!synonyms.some((s) => s.toLowerCase() === acronym)) synonyms.push(acronym);
    }
    byName.set(r.section, { name: r.section, area: r.area, heading, synonyms, text: r.text });
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

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
