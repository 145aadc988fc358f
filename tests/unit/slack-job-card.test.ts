import { describe, expect, it } from 'vitest';
import {
  elapsedText,
  JOB_CANCEL_ACTION,
  jobCardContent,
  jobCardDue,
  jobCostText,
  jobLink,
  logTailText,
  stageText,
  type JobUpdate,
} from '../../adapters/slack/job-card.js';
import { createRedactor, REDACTED } from '../../src/core/redact.js';
import { blockProblems, MAX_MESSAGE_BLOCKS } from '../fakes/fake-slack-blocks.js';

function update(over: Partial<JobUpdate> = {}): JobUpdate {
  return {
    type: 'job_update',
    seq: 1,
    at: 0,
    sessionId: 's1',
    namespace: 'alice',
    jobId: 'job123',
    url: 'https://huggingface.co/jobs/alice/job123',
    stage: 'RUNNING',
    flavor: 'a10g-small',
    elapsedSeconds: 125,
    costSoFarUsd: 0.4242,
    logTail: ['step 1 loss 2.3', 'step 2 loss 2.1'],
    final: false,
    ...over,
  };
}

const json = (value: unknown) => JSON.stringify(value);
const sectionTexts = (blocks: unknown[]) =>
  blocks.flatMap((b) => {
    const block = b as { type: string; text?: { text: string } };
    return block.type === 'section' && block.text ? [block.text.text] : [];
  });

describe('job card text', () => {
  it('formats elapsed time, cost and stage', () => {
    expect(elapsedText(42.9)).toBe('42s');
    expect(elapsedText(187)).toBe('3m 07s');
    expect(elapsedText(2 * 3600 + 5 * 60 + 59)).toBe('2h 05m');
    expect(jobCostText(0.4242)).toBe('$0.42');
    expect(jobCostText(0)).toBe('$0.00');
    expect(jobCostText(null)).toBe('cost unknown');
    expect(stageText('COMPLETED')).toBe('✅ Completed');
    expect(stageText('ERROR')).toBe('❌ Error');
    expect(stageText('SOMETHING_NEW')).toBe('🔹 Something_new');
  });

  it('shows stage, elapsed, flavor, cost so far, the logs in a code block, a link and Cancel', () => {
    const content = jobCardContent('s1', update());
    const blocks = json(content.blocks);
    expect(blocks).toContain('🏃 Running');
    expect(blocks).toContain('2m 05s');
    expect(blocks).toContain('a10g-small');
    expect(blocks).toContain('$0.42 so far');
    expect(blocks).toContain('```\\nstep 1 loss 2.3\\nstep 2 loss 2.1\\n```');
    expect(blocks).toContain('<https://huggingface.co/jobs/alice/job123|alice/job123>');
    expect(blocks).toContain(JOB_CANCEL_ACTION);
    const button = (content.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.elements : []))[0] as {
      value: string;
    };
    expect(JSON.parse(button.value)).toEqual({ sessionId: 's1', namespace: 'alice', jobId: 'job123' });
    expect(content.text).toContain('job123');
    expect(blockProblems(content.blocks, MAX_MESSAGE_BLOCKS)).toEqual([]);
  });

  it('once final: no button, the final stage, the cost without "so far"; unknown cost says so', () => {
    const done = json(jobCardContent('s1', update({ stage: 'COMPLETED', final: true })).blocks);
    expect(done).not.toContain(JOB_CANCEL_ACTION);
    expect(done).toContain('✅ Completed');
    expect(done).toContain('$0.42');
    expect(done).not.toContain('so far');
    const unpriced = json(jobCardContent('s1', update({ costSoFarUsd: null })).blocks);
    expect(unpriced).toContain('cost unknown');
  });

  it('shows the stage message and "no log lines" for a job that printed nothing', () => {
    const blocks = json(
      jobCardContent('s1', update({ stage: 'ERROR', final: true, message: 'OOM <!channel>', logTail: [] }))
        .blocks,
    );
    expect(blocks).toContain('No log lines yet');
    expect(blocks).toContain('OOM &lt;!channel&gt;');
  });

  it('keeps the newest lines within Slack limits, drops terminal escapes and progress rewrites', () => {
    const logTail = [
      ...Array.from({ length: 50 }, (_, i) => `line ${i} ${'x'.repeat(1_000)}`),
      '\u001b[32mgreen\u001b[0m',
      ' 10%|█    |\r 50%|███  |\r100%|█████|',
    ];
    const content = jobCardContent('s1', update({ logTail }));
    expect(blockProblems(content.blocks, MAX_MESSAGE_BLOCKS)).toEqual([]);
    const text = sectionTexts(content.blocks ?? []).join('\n');
    expect(text).toContain('green');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('100%|█████|');
    expect(text).not.toContain('10%|█');
    expect(text).toContain('line 49');
    expect(text).not.toContain('line 0 ');
    for (const section of sectionTexts(content.blocks ?? []))
      expect(section.length).toBeLessThanOrEqual(3_000);
  });

  it('escapes log text: no mentions, no links, no early end of the code block', () => {
    const logs = logTailText(['<!here> <@U123> ``` @channel & done'], (t) => t)!;
    expect(logs).not.toMatch(/<[@!]/);
    expect(logs).toContain('&lt;!here&gt;');
    expect(logs).not.toContain('```');
    expect(logs).toContain('@\u200Dchannel');
    expect(logs).toContain('&amp;');
  });

  it('redacts a token before cutting the line, so no prefix of it survives the cut', () => {
    const token = `hf_${'A1b2C3d4'.repeat(5)}`;
    const line = `${'x'.repeat(290)}${token}`; // a cut at 300 characters would keep "hf_A1b2C3d"
    const logs = logTailText([line], createRedactor([]))!;
    expect(logs).not.toContain('hf_A1b2');
    expect(logTailText([`token ${token}`], createRedactor([]))).toContain(REDACTED);
  });

  it('links only http(s) URLs, with the characters that would end the link encoded', () => {
    expect(jobLink('https://hf.co/jobs/a|b>c', 'a/b')).toBe('<https://hf.co/jobs/a%7Cb%3Ec|a/b>');
    expect(jobLink('javascript:alert(1)', 'a/b')).toBe('a/b');
    expect(jobLink('not a url', '<x>')).toBe('&lt;x&gt;');
  });
});

describe('when a job card is edited', () => {
  const shown = { stage: 'RUNNING', editedAt: 100_000 };
  it('waits 10 s between edits of the same stage', () => {
    expect(jobCardDue(shown, { stage: 'RUNNING', final: false }, 105_000)).toBe(false);
    expect(jobCardDue(shown, { stage: 'RUNNING', final: false }, 109_999)).toBe(false);
    expect(jobCardDue(shown, { stage: 'RUNNING', final: false }, 110_000)).toBe(true);
  });

  it('edits at once on a stage change or the end', () => {
    expect(jobCardDue(shown, { stage: 'ERROR', final: false }, 100_001)).toBe(true);
    expect(jobCardDue(shown, { stage: 'RUNNING', final: true }, 100_001)).toBe(true);
  });
});
