import { describe, expect, it } from 'vitest';
import { danglingToolCalls, lastUserTurnIndex } from '../../src/agent/history-queries.js';
import { repeatedMalformedNote } from '../../src/agent/malformed-calls.js';
import type { ChatMessage } from '../../src/core/messages.js';

const assistant: ChatMessage = {
  role: 'assistant',
  content: '',
  toolCalls: [
    { id: 'a', name: 'x', input: {} },
    { id: 'b', name: 'x', input: {} },
  ],
};

describe('history queries', () => {
  it('finds the calls of the last assistant message that have no result', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'hi' },
      assistant,
      { role: 'tool', toolCallId: 'a', name: 'x', content: 'done' },
    ];
    expect(danglingToolCalls(history).map((c) => c.id)).toEqual(['b']);
    expect(danglingToolCalls([...history, { role: 'assistant', content: 'fin' }])).toEqual([]);
  });

  it('skips synthetic notes when finding the last user turn', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'two' },
      { role: 'user', content: 'nudge', synthetic: 'note' },
    ];
    expect(lastUserTurnIndex(history)).toBe(2);
    expect(lastUserTurnIndex([])).toBe(-1);
  });

  it('asks for a correction only after two malformed calls in a row to the same tool', () => {
    const bad = (id: string, name: string): ChatMessage => ({
      role: 'tool',
      toolCallId: id,
      name,
      content: 'bad',
      isError: true,
      malformed: true,
    });
    expect(repeatedMalformedNote([bad('1', 'x')])).toBeUndefined();
    expect(
      repeatedMalformedNote([bad('1', 'x'), { role: 'assistant', content: '' }, bad('2', 'x')]),
    ).toContain('x');
    expect(repeatedMalformedNote([bad('1', 'y'), bad('2', 'x')])).toBeUndefined();
    expect(
      repeatedMalformedNote([
        bad('1', 'x'),
        { role: 'user', content: 'note', synthetic: 'note' },
        bad('2', 'x'),
      ]),
    ).toBeUndefined();
  });
});
