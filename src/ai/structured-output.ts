import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import { InvalidModelOutputError } from './errors.ts';

/**
 * Reads a structured answer out of a completion and checks it against its schema. Anything
 * unusable (a refusal, no content, not JSON, the wrong shape) becomes an
 * `InvalidModelOutputError`, which the retry policy treats as transient.
 */
export function parseStructured<T>(
  model: string,
  completion: ChatCompletion,
  schema: z.ZodType<T>,
): T {
  const message = completion.choices[0]?.message;
  if (message?.refusal) throw new InvalidModelOutputError(model, 'refusal');
  const content = message?.content?.trim();
  if (!content) throw new InvalidModelOutputError(model, 'empty');
  let json: unknown;
  try {
    json = JSON.parse(stripCodeFence(content));
  } catch (cause) {
    throw new InvalidModelOutputError(model, 'not_json', { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidModelOutputError(model, 'schema_mismatch', { cause: parsed.error });
  }
  return parsed.data;
}

// Some OpenAI-compatible servers ignore json_schema and wrap the JSON in a markdown fence.
function stripCodeFence(content: string): string {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(content);
  return fenced?.[1] ?? content;
}
