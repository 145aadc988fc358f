import type { AgentEvent } from '../../../src/core/events.js';
import { escapeMrkdwn, oneLine } from './mrkdwn.js';

/**
 * Short notices posted in the thread: compaction, interruption, errors, undo, the iteration limit.
 * An error notice shows the code and the first line of the message only: never a stack trace.
 */

export function compactedNotice(oldTokens: number, newTokens: number): string {
  return `🗜️ Compacted the conversation: ${formatTokens(oldTokens)} → ${formatTokens(newTokens)} tokens.`;
}

export function interruptedNotice(): string {
  return '⏹ Stopped. Send a message to continue.';
}

/** "⚠️ Something went wrong (`code`): message": one line, no stack trace, markup escaped. */
export function errorNotice(code: string, message: string): string {
  const text = escapeMrkdwn(oneLine(withoutStack(message), 500));
  const tag = code ? ` (\`${escapeMrkdwn(oneLine(code, 60)).replace(/`/g, "'")}\`)` : '';
  return text ? `⚠️ Something went wrong${tag}: ${text}` : `⚠️ Something went wrong${tag}.`;
}

export function undoNotice(removed: number): string {
  const what = removed === 1 ? '1 message' : `${removed.toLocaleString('en')} messages`;
  return `↩️ Undid the last turn (${what} removed).`;
}

export function maxIterationsNotice(maxIterations?: number): string {
  const limit =
    maxIterations === undefined ? 'its iteration limit' : `its limit of ${maxIterations} iterations`;
  return `⚠️ The intern stopped at ${limit}. Reply to let it continue.`;
}

/**
 * The notice an event gets, or undefined for events shown otherwise (or not at all). An `error`
 * with code `max_iterations` and a `turn_complete` that hit the limit both read as the limit notice.
 */
export function noticeFor(event: AgentEvent): string | undefined {
  switch (event.type) {
    case 'compacted':
      return compactedNotice(event.oldTokens, event.newTokens);
    case 'interrupted':
      return interruptedNotice();
    case 'error':
      return event.code === 'max_iterations' ? maxIterationsNotice() : errorNotice(event.code, event.message);
    case 'undo_complete':
      return undoNotice(event.removed);
    case 'turn_complete':
      return event.reason === 'max_iterations' ? maxIterationsNotice() : undefined;
    case 'processing':
    case 'ready':
    case 'assistant_chunk':
    case 'assistant_message':
    case 'assistant_stream_end':
    case 'tool_call':
    case 'tool_output':
    case 'tool_log':
    case 'tool_state_change':
    case 'approval_required':
    case 'plan_update':
    case 'shutdown':
      return undefined;
  }
}

/**
 * The message without a stack trace: the lines before the first `at …` frame; for a Python
 * traceback, its last line (where Python puts the error).
 */
function withoutStack(message: string): string {
  const lines = message.split('\n').filter((l) => l.trim() !== '');
  if (/^\s*Traceback \(most recent call last\)/.test(lines[0] ?? '')) return lines.at(-1) ?? '';
  const frame = lines.findIndex(
    (l) => /^\s+at\s/.test(l) || /^\s*Traceback \(most recent call last\)/.test(l),
  );
  const kept = frame === -1 ? lines : lines.slice(0, frame);
  return (kept.length > 0 ? kept : lines.slice(0, 1)).join(' ');
}

function formatTokens(tokens: number): string {
  return Math.round(tokens).toLocaleString('en');
}
