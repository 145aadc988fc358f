import { describe, expect, it } from 'vitest';
import { parseChatInput, statusLines, unknownCommandLine } from '../../adapters/terminal/chat-commands.js';
import { decisionOf } from '../../adapters/terminal/chat.js';
import { endsOperation } from '../../adapters/terminal/operation-end.js';
import { stylesFor } from '../../adapters/terminal/terminal-text.js';
import type { AgentEvent, EventBody } from '../../src/core/events.js';

const plain = stylesFor(false);
const at = (body: EventBody): AgentEvent => ({ ...body, seq: 1, at: 0, sessionId: 's' });
const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('chat input', () => {
  it('tells commands, unknown commands and messages apart', () => {
    expect(parseChatInput('/status')).toEqual({ kind: 'command', command: 'status' });
    expect(parseChatInput('  /UNDO  ')).toEqual({ kind: 'command', command: 'undo' });
    expect(parseChatInput('/exit')).toEqual({ kind: 'command', command: 'quit' });
    expect(parseChatInput('/frobnicate now')).toEqual({ kind: 'unknown_command', word: '/frobnicate' });
    // A path is a message, not a command.
    expect(parseChatInput('/data/train.csv is empty')).toEqual({
      kind: 'message',
      text: '/data/train.csv is empty',
    });
    expect(parseChatInput(' fine-tune it ')).toEqual({ kind: 'message', text: 'fine-tune it' });
    expect(unknownCommandLine('/x')).toBe(
      'Unknown command /x. Commands: /status /undo /compact /new /help /quit',
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

describe('endsOperation', () => {
  it('ends a turn on turn_complete, approval_required, interrupted or an error', () => {
    const done = at({ type: 'turn_complete', reason: 'done', usage, costUsd: 0 });
    expect(endsOperation('user_input', done)).toBe(true);
    expect(endsOperation('exec_approval', at({ type: 'approval_required', calls: [] }))).toBe(true);
    expect(endsOperation('user_input', at({ type: 'interrupted' }))).toBe(true);
    expect(endsOperation('user_input', at({ type: 'error', code: 'llm_error', message: 'x' }))).toBe(true);
    expect(endsOperation('user_input', at({ type: 'compacted', oldTokens: 2, newTokens: 1 }))).toBe(false);
    expect(endsOperation('user_input', at({ type: 'tool_call', toolCallId: 'c', tool: 't', args: {} }))).toBe(
      false,
    );
  });

  it('waits past the max-iterations notice for its turn_complete', () => {
    expect(endsOperation('user_input', at({ type: 'error', code: 'max_iterations', message: 'x' }))).toBe(
      false,
    );
  });

  it('ends undo, compact and new on their own events', () => {
    expect(endsOperation('undo', at({ type: 'undo_complete', removed: 0 }))).toBe(true);
    expect(endsOperation('compact', at({ type: 'compacted', oldTokens: 2, newTokens: 1 }))).toBe(true);
    expect(endsOperation('new', at({ type: 'shutdown', replacedBy: 'n' }))).toBe(true);
    expect(endsOperation('new', at({ type: 'ready' }))).toBe(false);
  });
});
