import OpenAI from 'openai';

/** Where and how to reach an OpenAI-compatible API (OpenAI, Ollama, vLLM, LM Studio...). */
export interface OpenAIClientConfig {
  apiKey: string;
  /** e.g. `http://localhost:11434/v1`; unset means api.openai.com. */
  baseURL?: string | undefined;
  /** Per-request timeout. Default 20 s. */
  timeoutMs?: number | undefined;
}

/**
 * Builds the official `openai` client for the model path.
 *
 * The client's own retries are turned off (`maxRetries: 0`): `withRetry` in `retry.ts`
 * is the one retry policy, because it also retries output that fails our schema and then
 * moves on to the fallback model, which the client cannot do. Two retry loops stacked
 * would multiply the attempts and the customer's wait.
 *
 * Every option is passed explicitly (`null` where unused) so the client does not fall back
 * to reading `OPENAI_*` variables itself: only `config/` reads the environment.
 */
export function createOpenAIClient(config: OpenAIClientConfig): OpenAI {
  return new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL ?? null,
    organization: null,
    project: null,
    timeout: config.timeoutMs ?? 20_000,
    maxRetries: 0,
  });
}
