import { describe, expect, it } from 'vitest';
import { parseChatInput, statusLines, unknownCommandLine } from '../../adapters/terminal/chat-commands.js';
import { decisionOf } from '../../adapters/terminal/chat.js';
import { untilOperationEnds } from '../../adapters/terminal/operation-end.js';
import { stylesFor } from '../../adapters/terminal/terminal-text.js';
import type { StoredEvent } from '../../src/core/agent-gateway.js';
import type { EventBody } from '../../src/core/events.js';

const plain = stylesFor(false);
const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('chat input', () => {
  it('tells commands, unknown commands and messages apart', () => {
    expect(parseChatInput('/status')).toEqual({ kind: 'command', command: 'status' });
    expect(parseChatInput('  /UNDO  ')).toEqual({ kind: 'command', command: 'undo' });
    expect(parseChatInput('/exit')).toEqual({ kind: 'command', command: 'quit' });
    expect(parseChatInput('/model')).toEqual({ kind: 'command', command: 'model' });
    expect(parseChatInput('/model  hf/moonshotai/Kimi-K2.6:groq ')).toEqual({
      kind: 'command',
      command: 'model',
      argument: 'hf/moonshotai/Kimi-K2.6:groq',
    });
    expect(parseChatInput('/frobnicate now')).toEqual({ kind: 'unknown_command', word: '/frobnicate' });
    // A path is a message, not a command.
    expect(parseChatInput('/data/train.csv is empty')).toEqual({
      kind: 'message',
      text: '/data/train.csv is empty',
    });
    expect(parseChatInput(' fine-tune it ')).toEqual({ kind: 'message', text: 'fine-tune it' });
    expect(unknownCommandLine('/x')).toBe(
      'Unknown command /x. Commands: /status /model /undo /compact /new /help /quit',
    );
  });

  it('reads approval answers: y approves, n rejects, other text is feedback, blank asks again', () => {
    expect(decisionOf('c1', ' Y ')).toEqual({ toolCallId: 'c1', approved: true });
    expect(decisionOf('c1', 'no')).toEqual({ toolCallId: 'c1', approved: false });
    expect(decisionOf('c1', 'use a cpu')).toEqual({
      toolCallId: 'c1',
      approved: false,
      feedback: 'use a cpu',
    });
    expect(decisionOf('c1', '   ')).toBeUndefined();
  });

  it('formats /status with cost to 4 decimals and context against the window', () => {
    const lines = statusLines(plain, {
      id: 's1',
      model: 'anthropic/claude-sonnet-5-5',
      status: 'awaiting_approval',
      owner: 'terminal',
      costUnknown: false,
      inputTokens: 12_345,
      outputTokens: 678,
      cacheReadTokens: 9,
      cacheWriteTokens: 0,
      costUsd: 0.123456,
      contextTokens: 50_000,
      contextWindow: 200_000,
      thread: undefined,
    });
    expect(lines.join('\n')).toBe(
      [
        '  model     anthropic/claude-sonnet-5-5',
        '  status    awaiting approval',
        '  session   s1',
        '  tokens    in 12,345 · out 678 · cache read 9 · cache write 0',
        '  cost      $0.1235',
        '  context   50,000 / 200,000 tokens (25%)',
      ].join('\n'),
    );
  });
});

/** The events as a follower would yield them, one after another. */
function stream(bodies: EventBody[]): AsyncIterator<StoredEvent> {
  const stored = bodies.map((body, i) => ({
    streamId: `${i + 1}-0`,
    event: { ...body, seq: i + 1, at: 0, sessionId: 's' },
  }));
  let next = 0;
  return {
    next: () => {
      const value = stored[next++];
      return Promise.resolve(value ? { done: false, value } : { done: true, value: undefined });
    },
  };
}

describe('untilOperationEnds', () => {
  const done: EventBody = { type: 'turn_complete', reason: 'done', usage, costUsd: 0 };
  const complete = (opId: string, outcome: 'done' | 'awaiting_approval' | 'error'): EventBody => ({
    type: 'operation_complete',
    opId,
    opType: 'user_input',
    outcome,
  });

  it('ends at the operation_complete of its own operation only, passing every event on in order', async () => {
    const seen: string[] = [];
    const events = stream([
      { type: 'processing', opType: 'user_input' },
      { type: 'error', code: 'llm_error', message: 'x' },
      { type: 'interrupted' },
      done,
      complete('someone-else', 'done'),
      complete('mine', 'error'),
      { type: 'ready' },
    ]);
    const end = await untilOperationEnds(events, 'mine', (e) => seen.push(e.type));
    expect(end).toEqual({ outcome: 'error', pending: [] });
    expect(seen).toEqual([
      'processing',
      'error',
      'interrupted',
      'turn_complete',
      'operation_complete',
      'operation_complete',
    ]);
    const rest = await events.next();
    expect(rest.done ? undefined : rest.value.event.type).toBe('ready');
  });

  it('returns the calls an approval_required listed when the operation awaits approval', async () => {
    const calls = [{ toolCallId: 'c1', tool: 'launch_gpu_job', args: { flavor: 'a100' } }];
    const end = await untilOperationEnds(
      stream([{ type: 'approval_required', calls }, complete('mine', 'awaiting_approval')]),
      'mine',
      () => undefined,
    );
    expect(end).toEqual({ outcome: 'awaiting_approval', pending: calls });
  });

  it('returns undefined when the events stop before the operation completes', async () => {
    const end = await untilOperationEnds(stream([done]), 'mine', () => undefined);
    expect(end).toBeUndefined();
  });
});
