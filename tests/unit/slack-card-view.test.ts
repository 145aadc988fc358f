import { describe, expect, it } from 'vitest';
import { cardBlocks, feedbackModalView, statusContent } from '../../adapters/slack/card-view.js';
import { blockProblems, MAX_MESSAGE_BLOCKS } from '../fakes/fake-slack-blocks.js';

const call = (id: string, args: Record<string, unknown> = { flavor: 'a10g' }) => ({
  toolCallId: id,
  tool: 'hf_jobs',
  args,
  reason: 'launches a paid GPU job',
});

describe('approval card', () => {
  it('has Approve / Reject / feedback buttons per call, Approve all for several, and values naming the call', () => {
    const blocks = cardBlocks('s1', [call('a'), call('b')], []);
    const json = JSON.stringify(blocks);
    expect(json.match(/"action_id":"mlib_approve"/g)).toHaveLength(2);
    expect(json).toContain('mlib_reject_feedback');
    expect(json).toContain('mlib_approve_all');
    expect(json).toContain(JSON.stringify(JSON.stringify({ sessionId: 's1', toolCallId: 'a' })).slice(1, -1));
    expect(json).toContain('launches a paid GPU job');
    expect(blockProblems(blocks, MAX_MESSAGE_BLOCKS)).toEqual([]);
  });

  it('shows a script as a cut code block and an estimated cost', () => {
    const script = 'print(1)\n'.repeat(400);
    const blocks = cardBlocks('s1', [call('a', { script, estimatedCostUsd: 3.5 })], []);
    const text = JSON.stringify(blocks);
    expect(text).toContain('```\\nprint(1)');
    expect(text).toContain('more characters');
    expect(text).toContain('$3.50');
    for (const block of blocks) {
      if (block.type === 'section') expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3_000);
    }
  });

  it('once decided, says who decided and drops the buttons', () => {
    const blocks = cardBlocks(
      's1',
      [call('a')],
      [{ toolCallId: 'a', approved: false, by: 'U1', at: 1_700_000_000_000, feedback: 'too big' }],
    );
    const json = JSON.stringify(blocks);
    expect(json).not.toContain('mlib_approve');
    expect(json).toContain('Rejected by <@U1>');
    expect(json).toContain('too big');
  });
});

describe('status and modal', () => {
  it('offers Stop only while a turn runs', () => {
    expect(JSON.stringify(statusContent('s1', 'working').blocks)).toContain('mlib_stop');
    expect(JSON.stringify(statusContent('s1', 'done').blocks)).not.toContain('mlib_stop');
  });

  it('carries where the card is in the modal metadata', () => {
    const view = feedbackModalView({
      sessionId: 's',
      toolCallId: 't',
      tool: 'x',
      channel: 'C',
      cardTs: '1.2',
      threadTs: '1.0',
    });
    expect(JSON.parse(view.private_metadata ?? '{}')).toEqual({
      sessionId: 's',
      toolCallId: 't',
      channel: 'C',
      cardTs: '1.2',
      threadTs: '1.0',
    });
    expect(view.callback_id).toBe('mlib_feedback');
  });
});
