/**
 * The labelled conversation corpora of `npm run eval:conversations`: one
 * `bench/conversations/<product>/corpus.json` per product (shape in
 * bench/conversations/README.md), read, schema-checked and checked against the product's
 * docs, so a label that names no real section fails before anything is played.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { chunkMarkdown } from '../src/engine/knowledge/chunk.ts';

/** The repository root: `knowledgeDir` in a corpus is relative to it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the corpora live, one folder per product. */
export const CORPORA_DIR = join(REPO_ROOT, 'bench', 'conversations');

const text = z.string().trim().min(1).max(4000);
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and -');
const message = z.strictObject({ id, text });
const report = z.strictObject({ id, text, followUp: text.optional() });

const corpusSchema = z.strictObject({
  product: z.string().min(1),
  description: z.string().optional(),
  knowledgeDir: z.string().min(1),
  questions: z.array(z.strictObject({ id, text, expectedSection: z.string().min(1) })).min(1),
  handoffs: z.array(message).min(1),
  disputes: z.array(message).min(1),
  bugs: z
    .array(
      z.strictObject({
        problem: id,
        expectedArea: z.string().min(1),
        reports: z.array(report).min(1),
      }),
    )
    .min(1),
  noise: z.array(report.extend({ expectedArea: z.string().min(1) })),
});

/** One product's corpus as written. */
export type Corpus = z.infer<typeof corpusSchema>;
/** A bug report (of a recurring problem or a one-off) as the customer writes it. */
export type BugReport = z.infer<typeof report>;

/** A corpus ready to play: its knowledge folder resolved to an absolute path. */
export interface LoadedCorpus extends Corpus {
  knowledgePath: string;
  /** Every section of the docs, named as the engine names them ("H1 › H2"). */
  sections: string[];
}

/** The products that have a corpus, sorted. */
export function listProducts(): string[] {
  return readdirSync(CORPORA_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(CORPORA_DIR, e.name, 'corpus.json')))
    .map((e) => e.name)
    .sort();
}

/** Reads and checks one product's corpus; throws with every problem found. */
export function loadCorpus(product: string): LoadedCorpus {
  const file = join(CORPORA_DIR, product, 'corpus.json');
  const parsed = corpusSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  }
  const corpus = parsed.data;
  const knowledgePath = resolve(REPO_ROOT, corpus.knowledgeDir);
  const sections = sectionsOf(knowledgePath);
  const problems = corpusProblems(corpus, new Set(sections));
  if (problems.length > 0) throw new Error(`${file}:\n- ${problems.join('\n- ')}`);
  return { ...corpus, knowledgePath, sections };
}

/** The section names of a knowledge folder, derived by the engine's own chunker. */
function sectionsOf(dir: string): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.md') || file.toLowerCase() === 'readme.md') continue;
    const chunks = chunkMarkdown(readFileSync(join(dir, file), 'utf8'), file);
    for (const c of chunks) names.add(c.section);
  }
  return [...names];
}

function corpusProblems(corpus: Corpus, sections: Set<string>): string[] {
  const problems: string[] = [];
  const ids = [
    ...corpus.questions,
    ...corpus.handoffs,
    ...corpus.disputes,
    ...corpus.bugs.flatMap((b) => b.reports),
    ...corpus.noise,
  ].map((m) => m.id);
  const seen = new Set<string>();
  for (const i of ids) {
    if (seen.has(i)) problems.push(`id ${i} is used twice`);
    seen.add(i);
  }
  const labels = [
    ...corpus.questions.map((q) => [q.id, q.expectedSection] as const),
    ...corpus.bugs.map((b) => [b.problem, b.expectedArea] as const),
    ...corpus.noise.map((n) => [n.id, n.expectedArea] as const),
  ];
  for (const [owner, section] of labels) {
    if (!sections.has(section)) problems.push(`${owner}: no section "${section}" in the docs`);
  }
  const problemNames = corpus.bugs.map((b) => b.problem);
  if (new Set(problemNames).size !== problemNames.length) problems.push('a problem is repeated');
  return problems;
}
