import type { Embedder } from '../../ai/types.ts';
import type {
  Assistant,
  KnowledgeHit,
  SuggestInput,
  TurnInput,
  TurnResult,
} from '../../types/index.ts';
import { classifyOffline, type IntentScores } from './classify.ts';
import { PROTOTYPES } from './intents.ts';
import { extract, summarize, writeReply } from './replies.ts';

/**
 * A section covers a question when its match score is at least this, and the question is
 * either somewhat similar to it or uses one of its glossary words: shared vocabulary alone
 * ("what is the capital of Australia" and a tax page that mentions Australia) is not enough.
 * Measured on three products' questions and off-topic ones (docs/clustering.md, "Answers").
 */
export const COVERAGE_THRESHOLD = 0.8;
/** The least similarity a covering section needs when the question uses none of its words. */
export const COVERAGE_SIMILARITY = 0.3;

/**
 * The assistant that needs no model: an extractive answer from the docs with a citation,
 * and a classifier built from rules plus intent examples embedded with the same embedder
 * as the knowledge. It never throws for ordinary input, so it is the last fallback.
 */
export function createOfflineAssistant(embedder: Embedder): Assistant {
  let prototypes: Promise<Record<keyof IntentScores, Float32Array[]>> | undefined;
  const loadPrototypes = () => {
    prototypes ??= (async () => {
      const entries = await Promise.all(
        Object.entries(PROTOTYPES).map(async ([k, v]) => [k, await embedder.embed(v)] as const),
      );
      return Object.fromEntries(entries) as Record<keyof IntentScores, Float32Array[]>;
    })();
    return prototypes;
  };

  return {
    name: 'offline',
    async respond(input: TurnInput) {
      const [protos, [vector]] = await Promise.all([
        loadPrototypes(),
        embedder.embed([input.text]),
      ]);
      const scores = scoreIntents(vector, protos);
      const covering = coveringHit(input.knowledge);
      const verdict = classifyOffline(input.text, input.history, {
        scores,
        covered: covering !== undefined,
      });
      const { missing, environment, offerReport, ...classification } = verdict;
      const result: TurnResult = {
        ...classification,
        reply: writeReply(verdict.state, missing, environment, covering, offerReport),
        summary: summarize(input),
        productArea: covering?.section ?? null,
      };
      return { result };
    },
    async suggest(input: SuggestInput) {
      // The best extract that covers the conversation, with a short lead-in for the agent
      // to send as it is or change; nothing when the docs do not cover it.
      const hit = coveringHit(input.knowledge);
      if (!hit) return undefined;
      const heading = hit.section.split('›').at(-1)?.trim() || hit.section;
      return {
        text: `Thanks for waiting! Here is what our docs say about ${heading.toLowerCase()}:\n\n${unwrap(extract(hit))}`,
        sources: [hit.section],
        confidence: hit.similarity === undefined ? null : Math.round(hit.similarity * 100) / 100,
      };
    },
  };
}

function scoreIntents(
  vector: Float32Array | undefined,
  protos: Record<keyof IntentScores, Float32Array[]>,
): IntentScores {
  const best = (list: Float32Array[]) =>
    vector ? Math.max(0, ...list.map((p) => dot(vector, p))) : 0;
  return {
    human: best(protos.human),
    bug: best(protos.bug),
    billing: best(protos.billing),
    thanks: best(protos.thanks),
  };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** The best hit, if it is close enough to the question to answer from. */
export function coveringHit(hits: readonly KnowledgeHit[]): KnowledgeHit | undefined {
  return hits.find(
    (h) =>
      h.score >= COVERAGE_THRESHOLD &&
      (h.keyword === true || (h.similarity ?? 0) >= COVERAGE_SIMILARITY),
  );
}

/**
 * Joins the docs' hard-wrapped lines into paragraphs (list items, headings and blank lines
 * stay), so a draft reads as a message in the agent's card and the customer's chat.
 */
function unwrap(text: string): string {
  return text.replace(/([^\n])\n(?![\n\s]|[-*•>#]|\d+[.)]\s)/g, '$1 ');
}
