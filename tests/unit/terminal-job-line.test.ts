import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createEventRenderer, jobStatusLine } from '../../adapters/terminal/event-renderer.js';
import { stylesFor } from '../../adapters/terminal/terminal-text.js';
import type { AgentEvent, EventBody } from '../../src/core/events.js';

/** A Writable that keeps what was written. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

type JobUpdate = Extract<EventBody, { type: 'job_update' }>;

function job(overrides: Partial<JobUpdate> = {}): JobUpdate {
  return {
    type: 'job_update',
    namespace: 'alice',
    jobId: 'abc123',
    url: 'https://huggingface.co/jobs/alice/abc123',
    stage: 'RUNNING',
    flavor: 'a10g-small',
    elapsedSeconds: 192,
    costSoFarUsd: 0.05,
    logTail: ['loading', 'step 10/100 loss=1.23'],
    final: false,
    ...overrides,
  };
}

/** The same update as a stored event, `at` ms after the epoch. */
function stored(at: number, overrides: Partial<JobUpdate> = {}): AgentEvent {
  return { ...job(overrides), at, seq: 1, sessionId: 's' };
}

const plain = stylesFor(false);

describe('terminal job status line', () => {
  it('shows id, stage, elapsed time, flavor, cost and the last log line', () => {
    expect(jobStatusLine(plain, job(), 100)).toBe(
      '⧗ job abc123 RUNNING · 3m12s · a10g-small · $0.05 · step 10/100 loss=1.23',
    );
  });

  it('marks the end: ✓ for COMPLETED, ✗ for ERROR with the Hub message, cost unknown when unpriced', () => {
    expect(jobStatusLine(plain, job({ stage: 'COMPLETED', final: true }), 100)).toMatch(
      /^✓ job abc123 COMPLETED · 3m12s/,
    );
    expect(
      jobStatusLine(
        plain,
        job({ stage: 'ERROR', final: true, costSoFarUsd: null, message: 'exit code 1' }),
        100,
      ),
    ).toBe('✗ job abc123 ERROR · 3m12s · a10g-small · cost unknown · exit code 1');
  });

  it('fits the width, and keeps escapes from logs out of the terminal', () => {
    const line = jobStatusLine(plain, job({ logTail: [`\u001b[2J${'x'.repeat(300)}`] }), 60);
    expect(Array.from(line)).toHaveLength(60);
    expect(line.endsWith('…')).toBe(true);
    expect(line).not.toContain('\u001b');
    // eslint-disable-next-line no-control-regex
    expect(jobStatusLine(stylesFor(true), job({ stage: 'ERROR', final: true }), 80)).toMatch(/^\u001b\[31m✗/);
  });

  it('prints on a stage change, at the end, and otherwise at most every 10 s of the updates', () => {
    const out = new Capture();
    const renderer = createEventRenderer({ out, color: false, width: 100 });
    const t0 = 1_700_000_000_000;
    renderer.render(stored(t0, { stage: 'SCHEDULING', elapsedSeconds: 0 }));
    renderer.render(stored(t0 + 2_000, { elapsedSeconds: 2 })); // new stage
    renderer.render(stored(t0 + 5_000, { elapsedSeconds: 5 })); // too soon
    renderer.render(stored(t0 + 12_000, { elapsedSeconds: 12 })); // 10 s after the last line
    renderer.render(stored(t0 + 13_000, { elapsedSeconds: 13, stage: 'COMPLETED', final: true }));
    const lines = out.text.trimEnd().split('\n');
    expect(lines.map((l) => l.split(' · ')[0] + ' · ' + l.split(' · ')[1])).toEqual([
      '⧗ job abc123 SCHEDULING · 0s',
      '⧗ job abc123 RUNNING · 2s',
      '⧗ job abc123 RUNNING · 12s',
      '✓ job abc123 COMPLETED · 13s',
    ]);
  });

  it('times bare update bodies by their elapsed seconds, each job on its own', () => {
    const out = new Capture();
    const renderer = createEventRenderer({ out, color: false });
    renderer.render(job({ elapsedSeconds: 100 }));
    renderer.render(job({ jobId: 'other', elapsedSeconds: 101 }));
    renderer.render(job({ elapsedSeconds: 105 }));
    renderer.render(job({ elapsedSeconds: 110 }));
    expect(
      out.text
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' · ').slice(0, 2).join(' · ')),
    ).toEqual([
      '⧗ job abc123 RUNNING · 1m40s',
      '⧗ job other RUNNING · 1m41s',
      '⧗ job abc123 RUNNING · 1m50s',
    ]);
  });
});
