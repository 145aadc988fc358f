import type { AssistantMessage, ChatMessage, ToolCall } from '../core/messages.js';

/** Tool calls of the latest assistant message that have no result yet (after a pause or a crash). */
export function danglingToolCalls(history: readonly ChatMessage[]): ToolCall[] {
  const index = lastAssistantIndex(history);
  if (index < 0) return [];
  const assistant = history[index] as AssistantMessage;
  const answered = new Set<string>();
  for (const m of history.slice(index + 1)) if (m.role === 'tool') answered.add(m.toolCallId);
  return (assistant.toolCalls ?? []).filter((c) => !answered.has(c.id));
}

function lastAssistantIndex(history: readonly ChatMessage[]): number {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.role === 'assistant') return i;
  return -1;
}

/** Index of the last message a human wrote (synthetic notes and summaries are not turns). */
export function lastUserTurnIndex(history: readonly ChatMessage[]): number {
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]!;
    if (m.role === 'user' && m.synthetic === undefined) return i;
  }
  return -1;
}

/** Rough token estimate (4 characters a token) for text we have not sent to the model yet. */
export function estimateTokens(messages: readonly ChatMessage[], system = ''): number {
  let chars = system.length;
  for (const m of messages) {
    chars += m.content.length + 16;
    if (m.role === 'assistant')
      for (const c of m.toolCalls ?? []) chars += JSON.stringify(c.input).length + 32;
  }
  return Math.ceil(chars / 4);
}
