import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createEventRenderer, type EventRendererOptions } from '../../adapters/terminal/event-renderer.js';
import type { EventBody } from '../../src/core/events.js';

/** A Writable that keeps what was written. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

function render(events: EventBody[], options: Partial<EventRendererOptions> = {}): string {
  const out = new Capture();
  const renderer = createEventRenderer({ out, color: false, ...options });
  for (const e of events) renderer.render(e);
  return out.text;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;
const usage = { inputTokens: 1234, outputTokens: 56, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('terminal event renderer', () => {
  it('prints streamed chunks as they come and ends the line at stream end', () => {
    const out = new Capture();
    const renderer = createEventRenderer({ out, color: false });
    renderer.render({ type: 'assistant_chunk', text: 'Hel' });
    expect(out.text).toBe('Hel');
    renderer.render({ type: 'assistant_chunk', text: 'lo.' });
    renderer.render({ type: 'assistant_stream_end' });
    expect(out.text).toBe('Hello.\n');
  });

  it('prints a whole assistant_message on its own lines', () => {
    expect(render([{ type: 'assistant_message', text: 'Line one\nline two' }])).toBe('Line one\nline two\n');
  });

  it('starts a notice on a new line when streamed text left one open', () => {
    const text = render([
      { type: 'assistant_chunk', text: 'thinking' },
      { type: 'error', code: 'llm_error', message: 'The language model failed: boom' },
    ]);
    expect(text).toBe('thinking\n✗ The language model failed: boom (llm_error)\n');
  });

  it('shows a tool call as one line cut to the width', () => {
    const short = render([
      {
        type: 'tool_call',
        toolCallId: 'c1',
        tool: 'hf_jobs',
        args: { flavor: 'a10g-small', script: 'train.py' },
      },
    ]);
    expect(short).toBe('▸ hf_jobs flavor=a10g-small script=train.py\n');

    const long = render(
      [
        {
          type: 'tool_call',
          toolCallId: 'c2',
          tool: 'bash',
          args: { command: `echo ${'x'.repeat(300)}\nls` },
        },
      ],
      { width: 60 },
    );
    const line = long.trimEnd();
    expect(long.split('\n')).toHaveLength(2);
    expect(Array.from(line)).toHaveLength(60);
    expect(line.startsWith('▸ bash command="echo xxx')).toBe(true);
    expect(line.endsWith('…')).toBe(true);
  });

  it('shows a short excerpt of tool output and counts the rest', () => {
    const output = ['one', 'two', '', 'three', 'four', 'five', 'six'].join('\n');
    const text = render([{ type: 'tool_output', toolCallId: 'c1', tool: 'bash', output, ok: true }]);
    expect(text).toBe('  ⎿ one\n    two\n    three\n    four\n    … 2 more lines\n');

    const failed = render([
      { type: 'tool_output', toolCallId: 'c1', tool: 'bash', output: 'no such file', ok: false },
    ]);
    expect(failed).toBe('  ✗ no such file\n');
  });

  it('strips escape sequences and control characters from tool output', () => {
    const text = render([
      {
        type: 'tool_output',
        toolCallId: 'c1',
        tool: 'bash',
        output: '\u001b[2J\u001b[31mred\u001b[0m\u0007 ok',
        ok: true,
      },
    ]);
    expect(text).toBe('  ⎿ red ok\n');
  });

  it('prints tool logs and the plan as a checklist', () => {
    const text = render([
      { type: 'tool_log', toolCallId: 'c1', tool: 'hf_jobs', log: 'epoch 1/3\tloss 0.42' },
      {
        type: 'plan_update',
        todos: [
          { id: '1', content: 'Inspect the dataset', status: 'completed' },
          { id: '2', content: 'Fine-tune', status: 'in_progress' },
          { id: '3', content: 'Push to the Hub', status: 'pending' },
        ],
      },
    ]);
    expect(text).toBe(
      '  · epoch 1/3 loss 0.42\nPlan\n  ☑ Inspect the dataset\n  ◐ Fine-tune\n  ☐ Push to the Hub\n',
    );
  });

  it('prints short notices for compaction, interrupts, undo, approvals and a new session', () => {
    const text = render([
      { type: 'compacted', oldTokens: 180_000, newTokens: 12_500 },
      { type: 'interrupted' },
      { type: 'undo_complete', removed: 3 },
      {
        type: 'approval_required',
        calls: [{ toolCallId: 'c1', tool: 'hf_jobs', args: {}, reason: 'launches a paid GPU job' }],
      },
      { type: 'shutdown', replacedBy: 'abc' },
    ]);
    expect(text).toBe(
      [
        '· Context compacted: 180,000 → 12,500 tokens.',
        '■ Interrupted.',
        '· Undone: removed 3 messages.',
        '⚠ hf_jobs needs approval: launches a paid GPU job',
        '· New session abc.',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing for turn_complete unless verbose, then a usage line', () => {
    const done: EventBody = { type: 'turn_complete', reason: 'done', usage, costUsd: 0.01234 };
    expect(render([{ type: 'ready' }, { type: 'processing', opType: 'user_input' }, done])).toBe('');
    expect(render([done], { verbose: true })).toBe('· 1,234 in · 56 out · $0.0123\n');
    const unpriced: EventBody = { ...done, costUsd: 0, costUnknown: true };
    expect(render([unpriced], { verbose: true })).toBe('· 1,234 in · 56 out · cost unknown\n');
  });

  it('ends an open streamed line at operation_complete; verbose names the outcome', () => {
    const end: EventBody = {
      type: 'operation_complete',
      opId: 'op1',
      opType: 'user_input',
      outcome: 'max_iterations',
    };
    expect(render([{ type: 'assistant_chunk', text: 'Half an answer' }, end])).toBe('Half an answer\n');
    expect(render([end], { verbose: true })).toBe('· user_input max iterations\n');
  });

  it('colours only when asked', () => {
    const events: EventBody[] = [
      { type: 'tool_call', toolCallId: 'c1', tool: 'bash', args: { command: 'ls' } },
      { type: 'error', code: 'x', message: 'bad' },
    ];
    expect(render(events)).not.toMatch(ANSI);
    const coloured = render(events, { color: true });
    expect(coloured).toMatch(ANSI);
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(render(events));
  });

  it('keeps the answer stream free of notices when it is a separate stream', () => {
    const out = new Capture();
    const textOut = new Capture();
    const renderer = createEventRenderer({ out, textOut, color: false });
    renderer.render({ type: 'assistant_chunk', text: 'Plan' });
    renderer.render({ type: 'tool_call', toolCallId: 'c1', tool: 'plan_tool', args: {} });
    renderer.render({ type: 'assistant_chunk', text: 'ning.' });
    renderer.render({ type: 'assistant_stream_end' });
    renderer.render({ type: 'assistant_message', text: 'Done.' });
    expect(textOut.text).toBe('Planning.\nDone.\n');
    expect(out.text).toBe('▸ plan_tool\n');
  });
});
