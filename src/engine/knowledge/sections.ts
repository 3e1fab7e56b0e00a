import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../../ai/types.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { memoizeText } from '../memo.ts';
import { SECTION_SEPARATOR } from './chunk.ts';
import { type Dictionary, EVERYDAY_WORDS, offlineDictionary } from './dictionary.ts';
import { acronymsOf, negates, spellingCorrector, stemsOf, termsOf, wordsOf } from './terms.ts';

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

/**
 * Where a customer's sentence ends (not inside "2.4" or "3.2.1"): a glossary phrase's words
 * in two sentences ("my shared album. How do I stop them") are not the phrase ("stop
 * sharing").
 */
const SENTENCE_END = /[.!?;]+(?:\s+|$)|\n+|\u2014/;

interface Indexed {
  section: Section;
  /** Its probes' rows in {@link Catalog.probes}: `[from, to)`. */
  probes: [number, number];
  /**
   * How each synonym is recognized: a one-word synonym as that word, in the singular or the
   * plural; one of several content words by its terms, all in one sentence of the text (and
   * a "not" there when it has one: "couldn't back up" is not every mention of backing up);
   * one that is a single content word with function words ("on this day", "log in") as the
   * phrase, word for word (stemmed).
   */
  names: Array<{ forms: string[] } | { terms: string[]; negated: boolean } | { phrase: string }>;
}

interface Catalog {
  sections: Indexed[];
  /** Every section's probe vectors, one row after another (a turn scores them all at once). */
  probes: Float32Array;
  dimensions: number;
  idf: Map<string, number>;
  /**
   * For each term, the sections (by index) whose heading or synonyms use it, and those whose
   * text does: a ranking adds up the text's terms where they occur, not every section's.
   */
  inTitle: Map<string, number[]>;
  inBody: Map<string, number[]>;
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
  /**
   * The language's words, which the speller leaves alone and a heading's initials must not
   * be; default the offline word list.
   */
  dictionary?: (() => Promise<Dictionary>) | undefined;
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
    const dictionary = await (options.dictionary ?? offlineDictionary)();
    const everyday = (word: string) => (dictionary(word) ?? EVERYDAY_WORDS) < EVERYDAY_WORDS;
    return buildCatalog(options.embedder, sectionsFrom(rows, glossary, everyday), dictionary);
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
  const { terms, words, phrase, sentences } = analyze(text);
  const count = catalog.sections.length;
  // Each section's IDF-weighted share of the text's terms, in its heading and in its text.
  const titleShare = new Float64Array(count);
  const bodyShare = new Float64Array(count);
  let total = 0;
  for (const t of terms) {
    const weight = catalog.idf.get(t) ?? 1;
    total += weight;
    for (const i of catalog.inTitle.get(t) ?? []) titleShare[i] = (titleShare[i] ?? 0) + weight;
    for (const i of catalog.inBody.get(t) ?? []) bodyShare[i] = (bodyShare[i] ?? 0) + weight;
  }
  total ||= 1;
  const uses = (n: Indexed['names'][number]) =>
    'forms' in n
      ? n.forms.some((f) => words.has(f))
      : 'terms' in n
        ? sentences.some((s) => n.terms.every((t) => s.stems.has(t)) && (!n.negated || s.negated))
        : phrase.includes(n.phrase);
  const similarities = similaritiesTo(catalog, vector);
  return catalog.sections
    .map(({ section, probes: [from, to], names }, i): SectionMatch => {
      let similarity = 0;
      for (let row = from; row < to; row++)
        similarity = Math.max(similarity, similarities[row] ?? 0);
      const named = names.some(uses);
      const titleOverlap = (titleShare[i] as number) / total;
      const bodyOverlap = (bodyShare[i] as number) / total;
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
 * What a text is matched on, remembered per text (a conversation's lines come back turn
 * after turn): its terms, its words, its stemmed words in order (for phrases), and each
 * sentence's stemmed words and whether it says "not".
 */
const analyze = memoizeText((text: string) => ({
  terms: [...new Set(termsOf(text))],
  words: new Set(wordsOf(text)),
  phrase: ` ${stemsOf(text).join(' ')} `,
  sentences: text
    .split(SENTENCE_END)
    .map((sentence) => ({ stems: new Set(stemsOf(sentence)), negated: negates(wordsOf(sentence)) }))
    .filter((sentence) => sentence.stems.size > 0),
}));

/**
 * Ties (sections nothing in the text points to) in a fixed order; code-point order, since
 * `localeCompare` on every tie was a third of a ranking.
 */
function byName(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

async function buildCatalog(
  embedder: Embedder,
  sections: Section[],
  dictionary: Dictionary,
): Promise<Catalog> {
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
  const inTitle = new Map<string, number[]>();
  const inBody = new Map<string, number[]>();
  const post = (index: Map<string, number[]>, terms: Set<string>, section: number) => {
    for (const t of terms) {
      const sections = index.get(t);
      if (sections) sections.push(section);
      else index.set(t, [section]);
    }
  };
  const indexed = sections.map((section, i): Indexed => {
    const list = texts[i] as string[];
    const rows: [number, number] = [at, at + list.length];
    at += list.length;
    const titleTerms = new Set(termsOf([section.heading, ...section.synonyms].join(' ')));
    const bodyTerms = new Set(termsOf(`${section.area} ${section.text}`));
    for (const t of new Set([...titleTerms, ...bodyTerms])) df.set(t, (df.get(t) ?? 0) + 1);
    post(inTitle, titleTerms, i);
    post(inBody, bodyTerms, i);
    for (const w of wordsOf(`${section.heading} ${section.synonyms.join(' ')} ${section.text}`)) {
      vocabulary.set(w, (vocabulary.get(w) ?? 0) + 1);
    }
    const names = section.synonyms.map(nameOf);
    return { section, probes: rows, names };
  });
  const n = sections.length;
  const idf = new Map([...df].map(([t, count]) => [t, Math.log(1 + n / count)]));
  const isWord = (word: string) => dictionary(word) !== undefined;
  return {
    sections: indexed,
    probes,
    dimensions,
    idf,
    inTitle,
    inBody,
    correct: spellingCorrector(vocabulary, isWord),
  };
}

function nameOf(synonym: string): Indexed['names'][number] {
  const parts = wordsOf(synonym);
  if (parts.length === 1) return { forms: numberForms(parts[0] as string) };
  const terms = termsOf(synonym);
  const negated = negates(parts);
  // Its function words carry the meaning: "on this day" is not every mention of a day.
  if (terms.length < 2 && !negated) return { phrase: ` ${stemsOf(synonym).join(' ')} ` };
  return { terms, negated };
}

/** A one-word synonym as customers may write it: "receipt", "receipts"; "dogs", "dog". */
function numberForms(word: string): string[] {
  if (!/\p{L}$/u.test(word) || word.length < 3) return [word];
  const singular = word.endsWith('s') && !word.endsWith('ss') ? [word.slice(0, -1)] : [];
  return [word, `${word}s`, `${word}es`, ...singular];
}

/**
 * Sections from the knowledge chunks: every `H1 › H2` section is one; a file without `##`
 * sections is one section named by its H1. Long sections split into several chunks become
 * one section. Glossary words are attached by exact section name; entries naming no
 * section are ignored. Each section is also known by the acronyms of its heading (see
 * {@link acronymsOf}); its initials only when they are no everyday word (`everyday`, e.g.
 * "act") and no other section uses them as a word ("usb" for "Upload speed and bandwidth"
 * when another section is about USB drives).
 */
export function sectionsFrom(
  rows: ReadonlyArray<{ id: number; section: string; area: string; text: string; file: string }>,
  glossary: Readonly<Record<string, readonly string[]>> = {},
  everyday: (word: string) => boolean = () => false,
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
    byName.set(r.section, {
      name: r.section,
      area: r.area,
      heading,
      synonyms: [...(glossary[r.section] ?? [])],
      text: r.text,
      chunks: [chunk],
    });
  }
  const sections = [...byName.values()];
  const wordsIn = new Map(sections.map((s) => [s, new Set(wordsOf(s.text))]));
  for (const section of sections) {
    const { spelled, initials } = acronymsOf(section.heading);
    const elsewhere = (a: string) => sections.some((o) => o !== section && wordsIn.get(o)?.has(a));
    for (const acronym of [...spelled, ...initials.filter((a) => !everyday(a) && !elsewhere(a))]) {
      if (!section.synonyms.some((s) => s.toLowerCase() === acronym))
        section.synonyms.push(acronym);
    }
  }
  return sections;
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
