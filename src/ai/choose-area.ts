import type OpenAI from 'openai';
import type { Logger } from 'pino';
import { z } from 'zod';
import { describeError } from './errors.ts';
import { type RetryOptions, retryPolicyFrom, withRetry } from './retry.ts';
import { toStrictJsonSchema } from './strict-json-schema.ts';
import { parseStructured } from './structured-output.ts';

/** A product area offered to the model, with what it is about. */
export interface AreaCandidate {
  name: string;
  /** Its heading, customer synonyms and the start of its docs. */
  description: string;
}

/** The model's choice: one of the candidates (or null for none) and a canonical phrase. */
export interface AreaChoice {
  area: string | null;
  /** A short issue phrase in the product's terms (the caller redacts it). */
  canonical: string;
}

/** Picks the product area of a redacted issue text among candidates. */
export type AreaChooser = (input: {
  text: string;
  candidates: readonly AreaCandidate[];
}) => Promise<AreaChoice>;

/** What `createModelAreaChooser` needs. */
export interface ModelAreaChooserOptions extends RetryOptions {
  /** Built by `createOpenAIClient` (its own retries off). */
  client: OpenAI;
  model: string;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number | undefined;
  /** Named in the prompt, e.g. "Parcelly". */
  productName?: string | undefined;
  logger?: Logger | undefined;
}

const NONE = 'none';

const SYSTEM_PROMPT = (product: string) =>
  `You file customer problem reports for ${product} under the product's own areas.
Choose the one area the report is about from the numbered list, or "${NONE}" if none fits.
Also write "canonical": the problem as a short phrase in the product's own terms (at most 12 words,
lower case, no greeting, no device or version details, no names, emails or other personal data),
e.g. "app crashes when opening settings".`;

/**
 * The model path of the normalizer: ONE chat completion with a strict JSON schema whose
 * `area` is an enum of the candidates' names plus "none", so the answer can only name an
 * offered area. Retried like the assistant (transient errors and unusable output); throws
 * when every attempt failed, and the normalizer then marks the match low-confidence.
 */
export function createModelAreaChooser(options: ModelAreaChooserOptions): AreaChooser {
  const policy = retryPolicyFrom({ maxRetries: 1, ...options });
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async ({ text, candidates }) => {
    const names = candidates.map((c) => c.name);
    const schema = z.object({
      area: z.enum([NONE, ...names]),
      canonical: z.string().max(200),
    });
    const list = candidates.map((c, i) => `${i + 1}. ${c.name}: ${c.description}`).join('\n');
    const call = async () => {
      const completion = await options.client.chat.completions.create(
        {
          model: options.model,
          messages: [
            { role: 'system', content: SYSTEM_PROMPT(options.productName ?? 'the product') },
            { role: 'user', content: `Areas:\n${list}\n\nReport:\n${text}` },
          ],
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'area_choice', strict: true, schema: toStrictJsonSchema(schema) },
          },
        },
        { timeout: timeoutMs, maxRetries: 0 },
      );
      const choice = parseStructured(options.model, completion, schema);
      return {
        area: choice.area === NONE ? null : choice.area,
        canonical: choice.canonical.trim(),
      };
    };
    return withRetry(call, policy, (event) =>
      options.logger?.warn(
        { model: options.model, attempt: event.attempt, err: describeError(event.error) },
        'area choice failed; retrying',
      ),
    );
  };
}
