/** Parsing a tool call's streamed argument JSON, the same for every provider. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The arguments of a tool call, or why they are unusable. Malformed JSON is not thrown: the call
 * becomes an error result for the model (see `malformed-calls.ts`), which can then correct itself.
 */
export function parseToolInput(
  json: string,
): { ok: true; input: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return {
      ok: false,
      error: `The tool input is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  if (!isPlainObject(value))
    return { ok: false, error: 'The tool input is valid JSON but not a JSON object.' };
  return { ok: true, input: value };
}
