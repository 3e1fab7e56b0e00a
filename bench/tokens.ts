import { plausibleAnswer } from '../test/fakes/openai/chat.ts';
import { type RecordedRequest, startFakeOpenAI } from '../test/fakes/openai/server.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../test/helpers/switchboard.ts';
import { listProducts, loadCorpus } from './conversation-corpus.ts';
import { percentile, since } from './stats.ts';
import { TOKEN_CONVERSATIONS, type TokenConversation } from './token-conversations.ts';

/** Flood control would answer a long conversation's later lines with "slow down". */
const NO_RATE_LIMITS = { RATE_LIMIT_PER_AUTHOR: '0', RATE_LIMIT_PER_CONVERSATION: '0' };
/** Each step (a turn, a claim, a draft) must settle within this. */
const STEP_TIMEOUT_MS = 10_000;
/** The whole replay must finish within this. */
const RUN_TIMEOUT_MS = 120_000;
/** Turn positions in a conversation, for showing that a prompt stays bounded as it grows. */
const POSITIONS: ReadonlyArray<[label: string, from: number, to: number]> = [
  ['1–3', 1, 3],
  ['4–10', 4, 10],
  ['11–20', 11, 20],
  ['21+', 21, Number.POSITIVE_INFINITY],
];
const AGENT = { agent: { id: 'bench-agent', name: 'Sam' } };

/** What one prompt holds, estimated at ~4 characters per token as the fake counts. */
interface PromptParts {
  instructions: number;
  historyLines: number;
  history: number;
  passages: number;
  passageTokens: number;
  schema: number;
}

const tokensOf = (chars: number) => Math.ceil(chars / 4);
const PASSAGE = /\[\d+\][^\n]*\n<<<\n[\s\S]*?\n>>>/g;
const TRANSCRIPT_LINE = /^(Customer|Agent|Bot): .*$/gm;

/**
 * Splits a recorded turn or suggestion request into its parts: instructions (the system
 * prompt minus the passages, plus any wrapper text), history (the conversation lines), the
 * doc passages, and the response schema (sent as `response_format`: a provider counts it,
 * the fake does not).
 */
function promptParts(request: RecordedRequest): PromptParts {
  const messages = request.body.messages ?? [];
  const text = (m: { content?: unknown } | undefined) => String(m?.content ?? '');
  const system = text(messages.find((m) => m.role === 'system'));
  const passages = system.match(PASSAGE) ?? [];
  const passageChars = passages.reduce((sum, p) => sum + p.length, 0);
  let instructionChars = system.length - passageChars;
  let lines: string[];
  if (request.body.response_format?.json_schema?.name === 'suggestion') {
    // One user message: the transcript inside a short wrapper.
    const user = text(messages.find((m) => m.role === 'user'));
    lines = user.match(TRANSCRIPT_LINE) ?? [];
    instructionChars += user.length - lines.reduce((sum, l) => sum + l.length + 1, 0);
  } else {
    lines = messages.filter((m) => m.role !== 'system').map(text);
  }
  return {
    instructions: tokensOf(instructionChars),
    historyLines: lines.length,
    history: tokensOf(lines.reduce((sum, l) => sum + l.length, 0)),
    passages: passages.length,
    passageTokens: tokensOf(passageChars),
    schema: tokensOf(JSON.stringify(request.body.response_format ?? {}).length),
  };
}

/** "median 1234, p90 1400, max 1500 (n 120)". */
function spread(values: readonly number[]): string {
  if (values.length === 0) return 'none';
  const p = (q: number) => Math.round(percentile(values, q));
  return `median ${p(50)}, p90 ${p(90)}, max ${p(100)} (n ${values.length})`;
}

/** Medians of each part over the requests, as one line. */
function holds(parts: readonly PromptParts[]): string {
  const m = (pick: (p: PromptParts) => number) => Math.round(percentile(parts.map(pick), 50));
  const maxLines = Math.max(...parts.map((p) => p.historyLines));
  return [
    `instructions ${m((p) => p.instructions)}`,
    `history ${m((p) => p.history)} (${m((p) => p.historyLines)} lines, max ${maxLines})`,
    `doc passages ${m((p) => p.passageTokens)} (${m((p) => p.passages)} passages)`,
    `+ response schema ${m((p) => p.schema)} not counted by the fake`,
  ].join('; ');
}

function withTimeout<T>(promise: Promise<T>, what: string, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench tokens: ${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Prompt size with a model: replays `TOKEN_CONVERSATIONS` through the web chat of the real
 * Switchboard against the loopback fake OpenAI server (answering like a model would, see
 * `plausibleAnswer`), with agents claiming the handoffs on the web desk and sending each
 * drafted reply. Reads the recorded usage back from the store (`model_usage` per turn,
 * `suggestions` per draft) and splits the recorded requests into what a prompt holds. Token
 * counts are the fake's ~4 characters per token, so one round is exact; the replay is
 * bounded by `RUN_TIMEOUT_MS`.
 */
export async function benchTokens(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const { sb, fake, stop } = await startWithModel();
  const client = webClient(sb.url);
  /** An agent's action on the web desk, e.g. `12/claim`. */
  const desk = async (path: string) => {
    const res = await fetch(`${sb.url}/desk/api/handoffs/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sb.adminToken}` },
      body: JSON.stringify(AGENT),
    });
    if (!res.ok) throw new Error(`bench tokens: POST ${path} answered ${res.status}`);
  };
  const currentSuggestion = (handoffId: number) =>
    sb.store.db
      .prepare<[number], { id: number }>(
        'SELECT id FROM suggestions WHERE handoff_id = ? AND use IS NULL ORDER BY id DESC LIMIT 1',
      )
      .get(handoffId)?.id;

  const say = async (text: string, conversationId: string | undefined) => {
    const { status, body } = await client.send(text, conversationId);
    if (status !== 200 && status !== 202) throw new Error(`bench tokens: chat answered ${status}`);
    await withTimeout(sb.engine.idle(), `the answer to "${text}"`);
    return body.conversationId;
  };
  /** The agent sends the current draft, as the desk's Send button does. */
  const sendDraft = async (handoffId: number) => {
    const id = currentSuggestion(handoffId);
    if (id !== undefined) await desk(`${handoffId}/suggestions/${id}/send`);
    await withTimeout(sb.engine.idle(), 'sending a draft');
  };
  const play = async (c: TokenConversation) => {
    let id: string | undefined;
    for (const line of c.lines) id = await say(line, id);
    if (!c.afterClaim || !id) return;
    const handoff = (await client.messages(id)).handoff;
    if (!handoff) throw new Error(`bench tokens: "${c.name}" ended without a handoff`);
    await desk(`${handoff.id}/claim`);
    await withTimeout(sb.engine.idle(), 'the first draft');
    for (const line of c.afterClaim) {
      await sendDraft(handoff.id);
      await say(line, id);
    }
  };

  try {
    await withTimeout(
      (async () => {
        for (const c of TOKEN_CONVERSATIONS) await play(c);
      })(),
      'the replay',
      RUN_TIMEOUT_MS,
    );
    const turns = sb.store.db
      .prepare<[], { conversation_id: string; prompt_tokens: number; completion_tokens: number }>(
        'SELECT conversation_id, prompt_tokens, completion_tokens FROM model_usage ORDER BY message_id',
      )
      .all();
    const drafts = sb.store.db
      .prepare<[], { prompt_tokens: number; completion_tokens: number }>(
        'SELECT prompt_tokens, completion_tokens FROM suggestions WHERE model IS NOT NULL',
      )
      .all();
    const seen = new Map<string, number>();
    const byPosition = turns.map((t) => {
      const position = (seen.get(t.conversation_id) ?? 0) + 1;
      seen.set(t.conversation_id, position);
      return { position, tokens: t.prompt_tokens };
    });
    const sent = (name: string) =>
      fake.requests
        .filter((r) => r.outcome === 'ok' && r.body.response_format?.json_schema?.name === name)
        .map(promptParts);
    const handoffs = TOKEN_CONVERSATIONS.filter((c) => c.afterClaim).length;
    return {
      conversations: `${TOKEN_CONVERSATIONS.length} (${handoffs} end in a claimed handoff); ${turns.length} model turns, ${drafts.length} suggestions`,
      'turn prompt tokens': spread(turns.map((t) => t.prompt_tokens)),
      ...Object.fromEntries(
        POSITIONS.map(([label, from, to]) => [
          `  turns ${label}`,
          spread(
            byPosition.filter((t) => t.position >= from && t.position <= to).map((t) => t.tokens),
          ),
        ]),
      ),
      'turn prompt holds (median tokens)': holds(sent('turn_result')),
      'turn completion tokens': spread(turns.map((t) => t.completion_tokens)),
      'suggestion prompt tokens': spread(drafts.map((d) => d.prompt_tokens)),
      'suggestion prompt holds (median tokens)': holds(sent('suggestion')),
      'suggestion completion tokens': spread(drafts.map((d) => d.completion_tokens)),
      'expected section among the passages': await passageRanks(),
      seconds: (since(started) / 1000).toFixed(1),
    };
  } finally {
    await stop();
  }
}

/** Switchboard on a temp data dir, its model the fake answering like a model would. */
async function startWithModel(env: Record<string, string> = {}) {
  const fake = await startFakeOpenAI();
  fake.setHandler((request) => plausibleAnswer(request.body));
  const data = tempDataDir();
  const sb = await startTestSwitchboard({
    DATA_DIR: data.dir,
    OPENAI_API_KEY: 'sk-bench-tokens',
    OPENAI_BASE_URL: fake.url,
    LLM_MODEL: 'bench-model',
    ...NO_RATE_LIMITS,
    ...env,
  });
  const stop = async () => {
    await sb.stop();
    await fake.close();
    data.remove();
  };
  return { sb, fake, stop };
}

/**
 * Whether each passage slot earns its tokens: every labelled question of the conversation
 * corpora (bench/conversations) asked as a new conversation against its product's docs, and
 * where its expected section came among the passages the turn's prompt held.
 */
async function passageRanks(): Promise<string> {
  const ranks = new Map<string, number>();
  let questions = 0;
  for (const product of listProducts()) {
    const corpus = loadCorpus(product);
    const { sb, fake, stop } = await startWithModel({ KNOWLEDGE_DIR: corpus.knowledgePath });
    try {
      for (const q of corpus.questions) {
        fake.requests.length = 0;
        await webClient(sb.url).send(q.text);
        await withTimeout(sb.engine.idle(), `the answer to "${q.text}"`);
        const turn = fake.requests.find(
          (r) => r.body.response_format?.json_schema?.name === 'turn_result',
        );
        const system = String(turn?.body.messages?.[0]?.content ?? '');
        const sections = [...system.matchAll(/^\[\d+\] Section: (.+)$/gm)].map((m) => m[1]);
        const rank = sections.indexOf(q.expectedSection);
        const key = rank < 0 ? 'not sent' : `#${rank + 1}`;
        ranks.set(key, (ranks.get(key) ?? 0) + 1);
        questions++;
      }
    } finally {
      await stop();
    }
  }
  const order = ['#1', '#2', '#3', '#4', '#5', '#6', 'not sent'];
  const counts = order.filter((k) => ranks.has(k)).map((k) => `${k} ${ranks.get(k)}`);
  return `${counts.join(', ')} (${questions} labelled questions, ${listProducts().join(', ')})`;
}
