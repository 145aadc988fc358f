/** Words a user can say to the bot in a thread (by mentioning it) instead of a message to the intern. */
export type ThreadCommand =
  | { kind: 'stop' | 'undo' | 'compact' | 'new' | 'status' }
  | { kind: 'model'; model: string }
  | { kind: 'yolo'; on: boolean };

/** Parses a command; any other text (including unknown words) is a message for the intern. */
export function parseThreadCommand(text: string): ThreadCommand | undefined {
  const words = text.trim().split(/\s+/);
  const [first, second, ...rest] = words;
  const verb = first?.toLowerCase();
  if (
    words.length === 1 &&
    (verb === 'stop' || verb === 'undo' || verb === 'compact' || verb === 'new' || verb === 'status')
  ) {
    return { kind: verb };
  }
  if (verb === 'model' && second && rest.length === 0) return { kind: 'model', model: second };
  if (verb === 'yolo' && rest.length === 0 && (second === 'on' || second === 'off'))
    return { kind: 'yolo', on: second === 'on' };
  return undefined;
}
