import type { TurnResult } from './classification.ts';
import type { HistoryLine } from './conversation.ts';

/** A knowledge passage offered to the assistant, with the section it came from. */
export interface KnowledgeHit {
  chunkId: number;
  file: string;
  /** Heading path, e.g. "Accounts and login › Resetting your password". */
  section: string;
  text: string;
  /**
   * How well the section matches the question, on all the evidence the section catalog
   * weighs (similarity, glossary words, shared vocabulary); higher is better, about 1 for a
   * fair match. Hits come best first.
   */
  score: number;
  /** Cosine similarity of the question to the section's name, heading, glossary words or text. */
  similarity?: number;
  /** True when the question used one of the section's glossary words or acronyms. */
  keyword?: boolean;
}

/** Everything the assistant needs for one turn; the assistant itself is stateless. */
export interface TurnInput {
  history: HistoryLine[];
  /** The newest customer message (already the last line of history). */
  text: string;
  knowledge: KnowledgeHit[];
}

/** Token usage of one model turn, recorded per message. */
export interface TurnUsage {
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** How the answering model got there: at once, after retries, or as the fallback model. */
  path?: 'first_try' | 'retried' | 'fallback_model';
}

/** What an assistant answered one turn with. */
export interface AssistantAnswer {
  result: TurnResult;
  usage?: TurnUsage;
  /** The model path failed and the offline assistant answered instead. */
  fellBack?: boolean;
}

/** What a reply is drafted from for the agent of a handoff. */
export interface SuggestInput {
  /** The conversation so far (redacted), oldest first, ending with the customer. */
  history: HistoryLine[];
  knowledge: KnowledgeHit[];
}

/** A drafted reply for the agent, with the sections it cites. */
export interface SuggestAnswer {
  text: string;
  sources: string[];
  confidence: number | null;
  usage?: TurnUsage;
  fellBack?: boolean;
}

/** An assistant answers one turn: the model-backed one or the offline one. */
export interface Assistant {
  readonly name: string;
  respond(input: TurnInput): Promise<AssistantAnswer>;
  /** Drafts a reply for a human agent to send, edit or dismiss; undefined when it has none. */
  suggest(input: SuggestInput): Promise<SuggestAnswer | undefined>;
}

/** How a turn was answered, as the metrics count it. */
export type TurnOutcome =
  | 'offline'
  | 'model'
  | 'model_retried'
  | 'fallback_model'
  | 'offline_fallback';

/**
 * What the engine reports as it works, for metrics; every method is cheap and never throws.
 * Nothing here carries customer text.
 */
export interface EngineObserver {
  turn(turn: { outcome: TurnOutcome; state: string; seconds: number; usage?: TurnUsage }): void;
  rateLimited(scope: 'author' | 'conversation'): void;
  ticketCreated(): void;
  handoffOpened(): void;
  handoffClaimed(secondsToClaim: number): void;
}
