import { describe, expect, it } from 'vitest';
import {
  callSummaryText,
  estimateText,
  noticeText,
  statusText,
  toolLinesText,
} from '../../adapters/shared/event-text.js';
import { splitText } from '../../adapters/shared/text-split.js';

describe('splitText', () => {
  it('keeps short text whole and cuts long text at line ends within the limit', () => {
    expect(splitText('hello', 2_000)).toEqual(['hello']);
    const text = Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n');
    const pieces = splitText(text, 500);
    expect(pieces.every((p) => p.length <= 500)).toBe(true);
    expect(pieces.join('\n')).toBe(text);
  });

  it('never leaves a code fence open: it closes and reopens it across pieces', () => {
    const code = Array.from({ length: 500 }, (_, i) => `x = ${i}`).join('\n');
    const text = `Here:\n\`\`\`python\n${code}\n\`\`\`\nDone.`;
    const pieces = splitText(text, 2_000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(2_000);
      expect((piece.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(pieces[1]!.startsWith('```python\n')).toBe(true);
    const rejoined = pieces.join('\n').replace(/\n```\n```python\n/g, '\n');
    expect(rejoined).toBe(text);
  });
});

describe('event text', () => {
  it('says what happened in a few words', () => {
    expect(
      statusText('done', {
        usage: { inputTokens: 1_000, outputTokens: 234, cacheReadTokens: 0, cacheWriteTokens: 0 },
        costUsd: 0.01,
      }),
    ).toBe('✅ Done · 1,234 tokens · $0.0100');
    expect(
      statusText('done', {
        usage: { inputTokens: 1_000, outputTokens: 234, cacheReadTokens: 0, cacheWriteTokens: 0 },
        costUsd: 0,
        costUnknown: true,
      }),
    ).toBe('✅ Done · 1,234 tokens · cost unknown');
    expect(
      toolLinesText([
        { tool: 'hf_jobs', args: { flavor: 'a10g' }, state: 'failed', output: 'quota\nexceeded', ok: false },
      ]),
    ).toBe('❌ `hf_jobs` flavor=a10g → quota exceeded');
    expect(noticeText({ type: 'error', code: 'x', message: 'boom', seq: 1, at: 0, sessionId: 's' })).toBe(
      '⚠️ boom',
    );
    expect(noticeText({ type: 'ready', seq: 1, at: 0, sessionId: 's' })).toBeUndefined();
  });
});

describe('estimates on approval cards', () => {
  const bold = (t: string) => `*${t}*`;
  it('shows the estimate, what it is worked out from and the thread’s spend, or why there is none', () => {
    expect(estimateText({ usd: 2, basis: 'a10g-small for 2 h at $1.00/h', spentUsd: 0.41 }, { bold })).toBe(
      'Estimated cost: *$2.00* (a10g-small for 2 h at $1.00/h) · this thread has spent $0.41',
    );
    expect(estimateText({ usd: null, basis: 'unknown flavor gpu-x', spentUsd: 0 }, { bold })).toBe(
      '*No estimate*: unknown flavor gpu-x · this thread has spent $0.00',
    );
    const text = callSummaryText(
      {
        toolCallId: 'c1',
        tool: 'hf_jobs',
        args: { operation: 'run' },
        reason: 'runs on a GPU',
        estimate: { usd: 1.5, basis: 't4-small for 3 h', spentUsd: 0 },
      },
      { bold, italic: (t) => `_${t}_`, mention: (u) => `@${u}`, time: () => 'now' },
    );
    expect(text.split('\n')).toEqual([
      '`hf_jobs` operation=run',
      '_runs on a GPU_',
      'Estimated cost: *$1.50* (t4-small for 3 h) · this thread has spent $0.00',
    ]);
  });
});
