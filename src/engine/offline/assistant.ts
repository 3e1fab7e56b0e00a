import type { Embedder } from '../../ai/types.ts';
import type { Assistant, KnowledgeHit, TurnInput, TurnResult } from '../../types/index.ts';
import { redactPII } from '../redact.ts';
import { classifyOffline, DETAILS_PROMPT, type IntentScores } from './classify.ts';
import { PROTOTYPES } from './intents.ts';

/** A knowledge hit at least this similar to the question counts as covering it. */
export const COVERAGE_THRESHOLD = 0.5;
/** Keyword-matched hits need less vector similarity to count. */
export const KEYWORD_COVERAGE_THRESHOLD = 0.35;
/** Longest extract quoted from the docs. */
const MAX_EXTRACT_CHARS = 900;

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
      const verdict = classifyOffline(input.text, input.history, scores);
      const covering = coveringHit(input.knowledge);
      const { askDetails, ...classification } = verdict;
      const result: TurnResult = {
        ...classification,
        reply: writeReply(verdict.state, askDetails, covering),
        summary: summarize(input),
        productArea: covering?.section ?? null,
      };
      return { result };
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
      h.score >= COVERAGE_THRESHOLD ||
      (h.keyword === true && h.score >= KEYWORD_COVERAGE_THRESHOLD),
  );
}

function writeReply(
  state: TurnResult['state'],
  askDetails: boolean,
  hit: KnowledgeHit | undefined,
): string {
  switch (state) {
    case 'RESOLVED':
      return "Glad that's sorted! If anything else comes up, just write here again.";
    case 'ESCALATE_HUMAN':
      return "I've asked a member of our support team to join. A human will reply right here shortly. You can keep adding details in the meantime.";
    case 'RAISE_TICKET':
      return "Thanks, that's what the team needs. I've filed this as a bug report so the developers can look into it.";
    case 'CONTINUE':
      if (askDetails) {
        const tip = hit ? `\n\nIn the meantime, this may help:\n\n${extract(hit)}` : '';
        return `Sorry you're running into this. ${DETAILS_PROMPT}${tip}`;
      }
      if (hit) return extract(hit);
      return "I couldn't find an answer to that in our help docs. Could you tell me a bit more about what you're trying to do? If you'd rather talk to a person, just say so.";
  }
}

/** Quotes the passage (or its opening paragraphs) and names the section it came from. */
function extract(hit: KnowledgeHit): string {
  let body = hit.text.trim();
  if (body.length > MAX_EXTRACT_CHARS) {
    const paragraphs = body.split(/\n{2,}/);
    body = '';
    for (const p of paragraphs) {
      if (body && body.length + p.length > MAX_EXTRACT_CHARS) break;
      body += `${p}\n\n`;
    }
    body = `${body.trim().slice(0, MAX_EXTRACT_CHARS)}…`;
  }
  return `${body}\n\n_Source: ${hit.section}_`;
}

/** A short redacted summary: the customer's first problem statement plus later details. */
function summarize(input: TurnInput): string {
  const lines = input.history.filter((h) => h.role === 'customer').map((h) => h.text.trim());
  const text = lines.slice(-4).join(' — ') || input.text;
  const clean = redactPII(text).replace(/\s+/g, ' ').trim();
  return clean.length > 280 ? `${clean.slice(0, 277)}…` : clean;
}
