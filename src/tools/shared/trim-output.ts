/** What a tool result may hold before its middle is cut (the model can ask for a narrower slice). */
export const TOOL_RESULT_CHARS = 8_000;

/**
 * Keeps the head and the tail of a long result and says how much of the middle was cut and how to
 * see it, so that the model never mistakes a cut result for a whole one.
 */
export function trimOutput(
  text: string,
  max = TOOL_RESULT_CHARS,
  howToSeeMore = 'ask for a narrower range',
): string {
  if (text.length <= max) return text;
  const note = (cut: number): string =>
    `\n\n[… ${cut.toLocaleString('en')} characters cut from the middle; ${howToSeeMore} …]\n\n`;
  const room = Math.max(0, max - note(text.length).length);
  const head = Math.ceil(room * 0.7);
  const tail = room - head;
  const cut = text.length - head - tail;
  return `${text.slice(0, head)}${note(cut)}${tail > 0 ? text.slice(text.length - tail) : ''}`;
}
