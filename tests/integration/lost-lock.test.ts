import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import type { AgentEvent } from '../../src/core/events.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { killHard, spawnWorker } from '../helpers/child-worker.js';
import { cleanup, REDIS_URL, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';

const children: ChildProcess[] = [];
let fake: FakeAnthropic | undefined;
let app: App | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) await killHard(child);
  if (app) await cleanup(app);
  app = undefined;
  await fake?.close();
});

/** Resolves once the child has printed `text` on stdout (its JSON logs and markers). */
function printed(child: ChildProcess, text: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child never printed "${text}":\n${out}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
  });
}

const FIRST = 'thinking '.repeat(300); // the stalled run's answer: long, streamed slowly (~12 s)
const SECOND = 'REDISANSWER '.repeat(25); // the recovering run's answer

describe('a worker whose event loop stalls past its lock', () => {
  it('stops at its next write and aborts its stream: one answer, nothing interleaved', async () => {
    fake = await startFakeAnthropic();
    const config = testConfig({ worker: { concurrency: 5, lockMs: 1_000, stalledIntervalMs: 500 } });
    fake.enqueue(
      { text: FIRST, chunkDelayMs: 40, textChunkChars: 9 },
      { text: SECOND, chunkDelayMs: 30, textChunkChars: 12 },
    );
    const stalled = await spawnWorker({
      CHILD_CONFIG: JSON.stringify(config),
      FAKE_ANTHROPIC_URL: fake.url,
      REDIS_URL,
      STALL_MS: '3500',
      CHILD_LOG_LEVEL: 'warn',
    });
    children.push(stalled);
    const stoppedWriting = printed(stalled, 'session lock lost mid-run');

    // The healthy worker keeps a longer lock: with the stalled one spinning on a core of this
    // two-core machine, a 1 s lock could lapse here too and hand the session back and forth.
    const healthy = { ...config, worker: { ...config.worker, lockMs: 3_000 } };
    app = testApp({ config: healthy, anthropic: { apiKey: 'test-key', baseURL: fake.url } });
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    const { id: opId } = await app.submit(sessionId, { type: 'user_input', text: 'think' });
    // The child is streaming its answer: stall it there, then bring up a healthy worker.
    await waitForEvent(app, sessionId, (e) => e.type === 'assistant_chunk');
    stalled.kill('SIGUSR2');
    await app.startWorkers();

    const { events } = await waitForEvent(
      app,
      sessionId,
      (e) => e.type === 'operation_complete' && e.opId === opId,
      { timeoutMs: 20_000 },
    );
    await stoppedWriting; // the stalled worker woke, tried to write, and stopped

    const all = (await app.events.read(sessionId, '0')).map((s) => s.event);
    const count = (type: AgentEvent['type']) => all.filter((e) => e.type === type).length;
    expect(count('operation_complete')).toBe(1);
    expect(count('turn_complete')).toBe(1);
    // The stalled run's text is a clean prefix, closed; the recovering run's text follows whole.
    const firstEnd = all.findIndex((e) => e.type === 'assistant_stream_end');
    const text = (list: AgentEvent[]) =>
      list.flatMap((e) => (e.type === 'assistant_chunk' ? [e.text] : [])).join('');
    expect(FIRST.startsWith(text(all.slice(0, firstEnd)))).toBe(true);
    expect(text(all.slice(firstEnd + 1))).toBe(SECOND);
    expect(events.at(-1)).toMatchObject({ type: 'operation_complete', outcome: 'done' });
    const history = await app.history.load(sessionId);
    expect(history.map((m) => `${m.role}:${m.content}`)).toEqual(['user:think', `assistant:${SECOND}`]);
    // The stalled run's request to the model was aborted, not read to its end.
    expect(fake.requests[0]?.closedEarly).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });
});
