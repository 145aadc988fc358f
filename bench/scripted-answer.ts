import { ScriptedProvider } from '../src/llm/scripted-provider.js';

/** A fixed-size answer, so every turn writes the same bytes whatever the history. */
export const ANSWER_TEXT = 'The benchmark answer. '.repeat(10).trim();

/** A model that answers every call with plain text (one call per turn) after `delayMs`. */
export function scriptedAnswer(delayMs: number): ScriptedProvider {
  return new ScriptedProvider(() => ({ text: ANSWER_TEXT, delayMs }));
}
