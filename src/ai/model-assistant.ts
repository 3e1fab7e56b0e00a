import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { Logger } from 'pino';
import {
  type Assistant,
  type TurnResult,
  type TurnUsage,
  turnResultSchema,
} from '../types/index.ts';
import { describeError, type ModelFailure, ModelUnavailableError } from './errors.ts';
import { type RetryOptions, retryPolicyFrom, withRetry } from './retry.ts';
import { toStrictJsonSchema } from './strict-json-schema.ts';
import { parseStructured } from './structured-output.ts';
import { buildSuggestMessages, suggestionSchema } from './suggest-prompt.ts';
import { buildTurnMessages } from './turn-prompt.ts';

/**
 * What `createModelAssistant` needs. Only `client` and `model` are required; the retry
 * knobs apply to each model separately.
 */
export interface ModelAssistantOptions extends RetryOptions {
  /** Built by `createOpenAIClient` (its own retries off). */
  client: OpenAI;
  model: string;
  /** Tried with the same policy once `model` has given up. */
  fallbackModel?: string | undefined;
  /** Per attempt. Default 20 s. */
  timeoutMs?: number | undefined;
  /** Named in the system prompt, e.g. "Acme Notes". */
  productName?: string | undefined;
  logger?: Logger | undefined;
}

/** The structured-output contract sent with every turn, derived from `turnResultSchema`. */
export const TURN_RESPONSE_FORMAT: ResponseFormatJSONSchema = {
  type: 'json_schema',
  json_schema: {
    name: 'turn_result',
    strict: true,
    schema: toStrictJsonSchema(turnResultSchema),
  },
};

/** The structured-output contract of a drafted reply for the agent. */
export const SUGGESTION_RESPONSE_FORMAT: ResponseFormatJSONSchema = {
  type: 'json_schema',
  json_schema: { name: 'suggestion', strict: true, schema: toStrictJsonSchema(suggestionSchema) },
};

/**
 * The model-backed assistant: ONE chat completion per turn that returns the reply and its
 * classification as JSON, checked against `turnResultSchema`.
 *
 * Each model is tried with `withRetry` (429, 5xx, timeouts, connection errors and unusable
 * output are retried with backoff and jitter); then `fallbackModel` the same way; then it
 * throws `ModelUnavailableError`. Wrap it in `withOfflineFallback` so customers never see it.
 * A drafted reply for an agent (`suggest`) is one more completion, tried the same way.
 */
export function createModelAssistant(options: ModelAssistantOptions): Assistant {
  const { client, logger } = options;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const policy = retryPolicyFrom(options);
  const models = [options.model];
  if (options.fallbackModel && options.fallbackModel !== options.model) {
    models.push(options.fallbackModel);
  }

  /**
   * One completion with a structured answer, each model tried with the retry policy, then
   * the next; throws `ModelUnavailableError` once every model has given up.
   */
  async function callModels<T>(
    what: string,
    messages: ChatCompletionMessageParam[],
    format: ResponseFormatJSONSchema,
    parse: (model: string, completion: ChatCompletion) => T,
  ): Promise<{ value: T; usage: TurnUsage }> {
    const complete = async (model: string) => {
      const completion = await client.chat.completions.create(
        { model, messages, response_format: format },
        { timeout: timeoutMs, maxRetries: 0 },
      );
      const usage: TurnUsage = {
        model,
        promptTokens: completion.usage?.prompt_tokens ?? 0,
        completionTokens: completion.usage?.completion_tokens ?? 0,
      };
      return { value: parse(model, completion), usage };
    };
    const failures: ModelFailure[] = [];
    for (const [index, model] of models.entries()) {
      let retried = false;
      try {
        const answer = await withRetry(
          () => complete(model),
          policy,
          (event) => {
            retried = true;
            logger?.warn(
              {
                model,
                attempt: event.attempt,
                delayMs: event.delayMs,
                err: describeError(event.error),
              },
              `${what} model call failed; retrying`,
            );
          },
        );
        const path = index > 0 ? 'fallback_model' : retried ? 'retried' : 'first_try';
        return { ...answer, usage: { ...answer.usage, path } };
      } catch (error) {
        failures.push({ model, error });
        logger?.warn({ model, err: describeError(error) }, `${what} model gave up`);
      }
    }
    throw new ModelUnavailableError(failures);
  }

  return {
    name: `openai:${options.model}`,
    async respond(input) {
      const { value, usage } = await callModels(
        'chat',
        buildTurnMessages(input, options.productName),
        TURN_RESPONSE_FORMAT,
        parseTurnResult,
      );
      return { result: value, usage };
    },
    async suggest(input) {
      const { value, usage } = await callModels(
        'suggestion',
        buildSuggestMessages(input, options.productName),
        SUGGESTION_RESPONSE_FORMAT,
        (model, completion) => parseStructured(model, completion, suggestionSchema),
      );
      // Only the sections the model was given count as sources.
      const known = new Set(input.knowledge.map((hit) => hit.section));
      return {
        text: value.reply,
        sources: value.sources.filter((name) => known.has(name)),
        confidence: value.confidence,
        usage,
      };
    },
  };
}

/** Reads the turn out of a completion (see {@link parseStructured}). */
export function parseTurnResult(model: string, completion: ChatCompletion): TurnResult {
  return parseStructured(model, completion, turnResultSchema);
}
