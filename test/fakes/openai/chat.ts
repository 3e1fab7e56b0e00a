/** The parts of a chat or embeddings request body the fake reads; the rest is kept as is. */
export interface FakeRequestBody {
  model?: string;
  messages?: Array<{ role: string; content?: unknown }>;
  response_format?: {
    type: string;
    json_schema?: { name: string; strict?: boolean | null; schema?: Record<string, unknown> };
  };
  input?: string | string[];
  dimensions?: number;
  encoding_format?: string;
  stream?: boolean;
  [key: string]: unknown;
}

/**
 * The content the fake answers when the test scripted nothing: for a `json_schema`
 * request, the smallest object that satisfies the schema (first enum value, minimum
 * number, empty array, "fake" strings); otherwise a short echo of the last user message.
 */
export function defaultContent(body: FakeRequestBody): string {
  const schema = body.response_format?.json_schema?.schema;
  if (body.response_format?.type === 'json_schema' && schema) {
    return JSON.stringify(sampleFromSchema(schema));
  }
  const lastUser = body.messages?.filter((m) => m.role === 'user').at(-1);
  return `Fake reply to: ${String(lastUser?.content ?? '')}`;
}

/** Builds a `chat.completion` object with `usage` estimated at ~4 characters per token. */
export function chatCompletion(body: FakeRequestBody, content: string, id: number) {
  const promptTokens = estimateTokens(JSON.stringify(body.messages ?? []));
  const completionTokens = estimateTokens(content);
  return {
    id: `chatcmpl-fake-${id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'unknown',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function sampleFromSchema(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.anyOf)) return sampleFromSchema(s.anyOf[0]);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, sampleFromSchema(value)]),
      );
    }
    case 'array':
      return Array.from({ length: Number(s.minItems ?? 0) }, () => sampleFromSchema(s.items));
    case 'string':
      return 'fake';
    case 'number':
    case 'integer':
      return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/**
 * A schema-valid turn as the model would return it: a how-to answer that continues the
 * conversation, with `overrides` for what a test cares about.
 */
export function modelTurn(reply: string, overrides: Record<string, unknown> = {}) {
  return {
    reply,
    state: 'CONTINUE',
    kind: 'question',
    category: 'how-to',
    priority: 'low',
    sentiment: 'neutral',
    summary: 'Asks how to reset the password',
    tags: [],
    productArea: null,
    confidence: 0.9,
    ...overrides,
  };
}

/** Asking for a person, as customers phrase it; a plausible model escalates on it. */
const WANTS_A_PERSON =
  /\b(a person|a human|real person|talk to someone|speak to someone|someone from support)\b/i;

/**
 * What a model that followed the prompt would plausibly answer, for benchmarks that need
 * realistic sizes rather than scripted content: a `turn_result` that quotes the first
 * passage of the system prompt and cites its section (ESCALATE_HUMAN when the customer's
 * newest message asks for a person); a `suggestion` drafted the same way, with that section
 * as its source. Other requests get `defaultContent`.
 */
export function plausibleAnswer(body: FakeRequestBody): unknown {
  const name = body.response_format?.json_schema?.name;
  const system = String(body.messages?.find((m) => m.role === 'system')?.content ?? '');
  const passage = firstPassage(system);
  const answer = passage
    ? `${firstSentences(passage.text, 2)} (see: ${passage.section})`
    : 'I am not sure the docs cover that. Could you tell me a little more about what you see?';
  if (name === 'suggestion') {
    return {
      reply: `Thanks for the details. ${answer}`,
      sources: passage ? [passage.section] : [],
      confidence: passage ? 0.7 : 0.2,
    };
  }
  if (name !== 'turn_result') return JSON.parse(defaultContent(body));
  const last = String(body.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '');
  const escalate = WANTS_A_PERSON.test(last);
  return modelTurn(
    escalate ? 'Of course. A person from the support team will take over here shortly.' : answer,
    {
      state: escalate ? 'ESCALATE_HUMAN' : 'CONTINUE',
      summary: 'Customer asks how to do something in the store admin.',
      tags: ['how-to'],
      productArea: passage ? (passage.section.split('›')[0]?.trim() ?? null) : null,
      confidence: passage ? 0.8 : 0.3,
    },
  );
}

/** The first `[1] …\n<<<\n…\n>>>` passage of a prompt, with its section name. */
function firstPassage(system: string): { section: string; text: string } | undefined {
  const match = /\[1\] (?:Section: )?(.+?)(?: \(file: [^)]*\))?\n<<<\n([\s\S]*?)\n>>>/.exec(system);
  return match ? { section: match[1] as string, text: match[2] as string } : undefined;
}

function firstSentences(text: string, count: number): string {
  const prose = text
    .replace(/^#+ .*$/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return (prose.match(/[^.!?]+[.!?]+/g) ?? [prose]).slice(0, count).join('').trim();
}
