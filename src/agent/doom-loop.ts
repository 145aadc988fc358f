import { createHash } from 'node:crypto';
import type { ChatMessage } from '../core/messages.js';

/** Marks the corrective note, so detection only looks at calls made after the last one. */
export const DOOM_LOOP_MARKER = '[doom-loop guard]';

/**
 * The reference agent's doom-loop guard: look at (tool, normalised args, result) signatures of the
 * calls since the last warning. Three identical in a row, or a cycle of 2–5 calls repeated twice,
 * returns a corrective note to inject before the next LLM call.
 */
export function detectDoomLoop(history: readonly ChatMessage[]): string | undefined {
  const signatures = recentSignatures(history);
  const n = signatures.length;
  if (n >= 3 && signatures[n - 1] === signatures[n - 2] && signatures[n - 2] === signatures[n - 3]) {
    return note('You have made the same tool call with the same result three times in a row.');
  }
  for (let k = 2; k <= 5 && 2 * k <= n; k++) {
    const tail = signatures.slice(n - k);
    const before = signatures.slice(n - 2 * k, n - k);
    if (new Set(tail).size > 1 && tail.every((s, i) => s === before[i])) {
      return note(`You are repeating a cycle of ${k} tool calls with the same results.`);
    }
  }
  return undefined;
}

function note(what: string): string {
  return (
    `${DOOM_LOOP_MARKER} ${what} Repeating it will not change the outcome. Stop, reconsider the ` +
    'approach (read the error, check the docs, try something different), or tell the user what is blocking you.'
  );
}

function recentSignatures(history: readonly ChatMessage[]): string[] {
  let start = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]!;
    if (m.role === 'user' && m.content.includes(DOOM_LOOP_MARKER)) {
      start = i + 1;
      break;
    }
  }
  const results = new Map<string, string>();
  for (const m of history.slice(start)) if (m.role === 'tool') results.set(m.toolCallId, m.content);
  const signatures: string[] = [];
  for (const m of history.slice(start)) {
    if (m.role !== 'assistant') continue;
    for (const call of m.toolCalls ?? []) {
      const result = results.get(call.id);
      if (result === undefined) continue;
      signatures.push(hash(`${call.name}\u0000${normalise(call.input)}\u0000${result}`));
    }
  }
  return signatures;
}

/** JSON with sorted keys, so `{a,b}` and `{b,a}` are the same call. */
function normalise(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(normalise).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${normalise(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
