/**
 * Remembers a text function's latest results, at most `size` of them (the oldest goes
 * first). For the pure analyses a turn runs again over the conversation's recent lines
 * (redaction, setup details, problem statements): the same lines come back every turn.
 * Results are shared, so `fn` must return values nobody mutates.
 */
export function memoizeText<T>(fn: (text: string) => T, size = 2_048): (text: string) => T {
  const results = new Map<string, T>();
  return (text) => {
    if (results.has(text)) return results.get(text) as T;
    const result = fn(text);
    if (results.size >= size) results.delete(results.keys().next().value as string);
    results.set(text, result);
    return result;
  };
}
