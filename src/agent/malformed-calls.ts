import type { ChatMessage } from '../core/messages.js';

/**
 * Two malformed calls in a row to the same tool get a short corrective note, as in the reference
 * agent: the model is usually stuck on one wrong argument shape and needs to be told so.
 */
export function repeatedMalformedNote(history: readonly ChatMessage[]): string | undefined {
  const results: Extract<ChatMessage, { role: 'tool' }>[] = [];
  for (let i = history.length - 1; i >= 0 && results.length < 2; i--) {
    const m = history[i]!;
    if (m.role === 'user') break;
    if (m.role === 'tool') results.push(m);
  }
  const [last, previous] = results;
  if (!last?.malformed || !previous?.malformed || last.name !== previous.name) return undefined;
  return (
    `Your last two calls to ${last.name} had invalid arguments. Read the tool's JSON schema again and ` +
    'send exactly the fields it asks for, with the right types, as one JSON object, or use a different tool.'
  );
}
