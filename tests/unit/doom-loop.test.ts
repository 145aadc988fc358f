import { describe, expect, it } from 'vitest';
import { DOOM_LOOP_MARKER, detectDoomLoop } from '../../src/agent/doom-loop.js';
import type { ChatMessage } from '../../src/core/messages.js';

let n = 0;
/** One assistant call and its result. */
function call(name: string, input: Record<string, unknown>, result = 'ok'): ChatMessage[] {
  const id = `c${++n}`;
  return [
    { role: 'assistant', content: '', toolCalls: [{ id, name, input }] },
    { role: 'tool', toolCallId: id, name, content: result },
  ];
}

describe('detectDoomLoop', () => {
  it('flags three identical calls in a row, whatever the key order', () => {
    const history = [
      ...call('t', { a: 1, b: 2 }),
      ...call('t', { b: 2, a: 1 }),
      ...call('t', { a: 1, b: 2 }),
    ];
    expect(detectDoomLoop(history)).toContain(DOOM_LOOP_MARKER);
    expect(detectDoomLoop(history.slice(0, 4))).toBeUndefined();
  });

  it('does not flag the same call with different results', () => {
    const history = [...call('t', {}, 'r1'), ...call('t', {}, 'r2'), ...call('t', {}, 'r3')];
    expect(detectDoomLoop(history)).toBeUndefined();
  });

  it('flags cycles of 2 to 5 calls repeated twice', () => {
    for (const k of [2, 3, 4, 5]) {
      const cycle = Array.from({ length: k }, (_, i) => ['t', { i }] as const);
      const history = [...cycle, ...cycle].flatMap(([name, input]) => call(name, input));
      expect(detectDoomLoop(history)).toContain(`cycle of ${k}`);
    }
  });

  it('only looks at calls after the last warning', () => {
    const loop = [...call('t', {}), ...call('t', {}), ...call('t', {})];
    const warned: ChatMessage[] = [
      ...loop,
      { role: 'user', content: `${DOOM_LOOP_MARKER} stop`, synthetic: 'note' },
    ];
    expect(detectDoomLoop(warned)).toBeUndefined();
    expect(detectDoomLoop([...warned, ...call('t', {}), ...call('t', {})])).toBeUndefined();
    expect(detectDoomLoop([...warned, ...loop])).toContain(DOOM_LOOP_MARKER);
  });
});
