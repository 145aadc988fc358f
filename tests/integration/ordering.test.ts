import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeApp } from '../helpers/fake-app.js';
import { cleanup, waitForEvent } from '../helpers/test-app.js';

let fake: FakeAnthropic;
let app: App;
beforeEach(async () => {
  fake = await startFakeAnthropic();
  app = await startFakeApp(fake);
});
afterEach(async () => {
  await cleanup(app);
  await fake.close();
});

/** The text of the last user message of a request. */
function lastUserText(body: unknown): string {
  const messages = (body as { messages: Array<{ role: string; content: unknown }> }).messages;
  const content = messages.at(-1)?.content;
  if (typeof content === 'string') return content;
  const blocks = content as Array<{ type: string; text?: string }>;
  return blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');
}

describe('ordering and parallelism', () => {
  it('runs two sessions in parallel while each keeps its operations in order', async () => {
    // Every answer echoes the question, slowly (about 150 ms a call).
    fake.setDefault((body) => ({ text: `re:${lastUserText(body)}`, textChunkChars: 2, chunkDelayMs: 15 }));
    const a = await app.startSession({ owner: 'u', platform: 'terminal' });
    const b = await app.startSession({ owner: 'u', platform: 'terminal' });
    for (let i = 1; i <= 3; i++) {
      await app.submit(a, { type: 'user_input', text: `a${i}` });
      await app.submit(b, { type: 'user_input', text: `b${i}` });
    }
    let countA = 0;
    let countB = 0;
    const eventsA = await waitForEvent(app, a, (e) => e.type === 'turn_complete' && ++countA === 3);
    const eventsB = await waitForEvent(app, b, (e) => e.type === 'turn_complete' && ++countB === 3);

    for (const [id, p] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      const history = await app.history.load(id);
      expect(history.map((m) => m.content)).toEqual([
        `${p}1`,
        `re:${p}1`,
        `${p}2`,
        `re:${p}2`,
        `${p}3`,
        `re:${p}3`,
      ]);
    }
    // The sessions overlapped: both first requests reached the model before either first turn ended.
    const order = fake.requests.map((r) => lastUserText(r.body));
    expect(order.slice(0, 2).sort()).toEqual(['a1', 'b1']);
    const firstDone = Math.min(
      ...[eventsA, eventsB].map((r) => r.events.find((e) => e.type === 'turn_complete')!.at),
    );
    expect(fake.requests[1]!.receivedAt).toBeLessThanOrEqual(firstDone);
  });
});
