import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import type { AgentEvent } from '../../src/core/events.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';

/** Append-only, fsync on every write: a restart loses nothing that was acknowledged. */
const APPEND_ONLY = ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
import { testApp, testConfig, waitForEvent } from '../helpers/test-app.js';

const ANSWER = 'REDISANSWER '.repeat(40);
/** How long Redis stays down in each try: shorter and longer than the 1 s lock. */
const OUTAGES_MS = [300, 700, 1_200, 1_500, 2_000, 2_500];

let redis: PrivateRedis;
let fake: FakeAnthropic;
let app: App;
beforeAll(async () => {
  redis = await startPrivateRedis(APPEND_ONLY);
  fake = await startFakeAnthropic();
  fake.setDefault(() => ({ text: ANSWER, chunkDelayMs: 25, textChunkChars: 12 }));
  const config = testConfig({ worker: { concurrency: 5, lockMs: 1_000, stalledIntervalMs: 500 } });
  app = testApp({ config, redisUrl: redis.url, anthropic: { apiKey: 'test-key', baseURL: fake.url } });
  await app.startWorkers();
});
afterAll(async () => {
  await app.close(1_000);
  await redis.destroy();
  await fake.close();
});

/** The answer as a thread shows it: the text of the last stream, which must be the whole answer. */
function lastStreamText(events: readonly AgentEvent[]): string {
  let text = '';
  for (const e of events) {
    if (e.type === 'assistant_chunk') text += e.text;
    else if (e.type === 'assistant_stream_end') text = text === '' ? text : `${text}\u0000`;
  }
  const streams = text.split('\u0000').filter((s) => s !== '');
  return streams.at(-1) ?? '';
}

describe('Redis restarted (append-only) in the middle of a streamed answer', () => {
  it('gives the whole answer once, never garbled, whatever the outage', async () => {
    const results: Array<{ outageMs: number; intact: boolean; streams: number; requests: number }> = [];
    for (const outageMs of OUTAGES_MS) {
      const before = fake.requests.length;
      const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
      const { id: opId } = await app.submit(sessionId, { type: 'user_input', text: 'answer' });
      await waitForEvent(app, sessionId, (e) => e.type === 'assistant_chunk', { timeoutMs: 20_000 });
      await redis.stop();
      await new Promise((r) => setTimeout(r, outageMs));
      await redis.start();
      await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete' && e.opId === opId, {
        timeoutMs: 30_000,
      });
      const events = (await app.events.read(sessionId, '0')).map((s) => s.event);
      const history = await app.history.load(sessionId);
      const answers = history.filter((m) => m.role === 'assistant');
      const chunks = events
        .filter((e) => e.type === 'assistant_chunk')
        .map((e) => (e.type === 'assistant_chunk' ? e.text : ''));
      // Every chunk is a whole chunk of the answer (no two runs' text spliced into one stream).
      const intact =
        lastStreamText(events) === ANSWER &&
        answers.length === 1 &&
        answers[0]?.content === ANSWER &&
        events.filter((e) => e.type === 'turn_complete').length === 1 &&
        events.filter((e) => e.type === 'operation_complete').length === 1 &&
        chunks.every((c) => c === 'REDISANSWER ');
      if (!intact)
        process.stdout.write(
          `not intact after ${outageMs} ms: shown ${lastStreamText(events).length}/${ANSWER.length} chars, ` +
            `${answers.length} answer(s) ${JSON.stringify(answers.map((a) => a.content.length))}, ` +
            `${events.filter((e) => e.type === 'turn_complete').length} turn_complete, ` +
            `${events.filter((e) => e.type === 'operation_complete').length} operation_complete ${JSON.stringify(events.filter((e) => e.type === 'error'))}\n`,
        );
      results.push({
        outageMs,
        intact,
        streams: events.filter((e) => e.type === 'assistant_stream_end').length,
        requests: fake.requests.length - before,
      });
    }
    const intact = results.filter((r) => r.intact).length;
    process.stdout.write(
      `Redis restart mid-answer: intact ${intact}/${results.length} ` +
        results
          .map(
            (r) =>
              `[outage ${r.outageMs} ms: ${r.intact ? 'intact' : 'GARBLED'}, ${r.requests} LLM call(s), ${r.streams} stream(s)]`,
          )
          .join(' ') +
        '\n',
    );
    expect(results.every((r) => r.intact)).toBe(true);
  }, 150_000);
});
