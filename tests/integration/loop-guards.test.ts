import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { DOOM_LOOP_MARKER } from '../../src/agent/doom-loop.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { requestMessages, startFakeApp } from '../helpers/fake-app.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';
import { echoTool } from '../helpers/test-tools.js';

let fake: FakeAnthropic;
let app: App;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await cleanup(app);
  await fake.close();
});

const textOf = (content: unknown) => JSON.stringify(content);

describe('loop guards', () => {
  it('injects a corrective note after three identical calls', async () => {
    app = await startFakeApp(fake, { tools: [echoTool] });
    const same = { name: 'echo', input: { text: 'again' } };
    fake.enqueue(
      { toolCalls: [same] },
      { toolCalls: [same] },
      { toolCalls: [same] },
      { text: 'I will stop.' },
    );
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'loop' });
    await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    expect(fake.requests).toHaveLength(4);
    expect(textOf(requestMessages(fake, 2))).not.toContain(DOOM_LOOP_MARKER);
    expect(textOf(requestMessages(fake, 3).at(-1)?.content)).toContain(DOOM_LOOP_MARKER);
  });

  it('detects a cycle of two calls repeated twice', async () => {
    app = await startFakeApp(fake, { tools: [echoTool] });
    const a = { name: 'echo', input: { text: 'a' } };
    const b = { name: 'echo', input: { text: 'b' } };
    fake.enqueue(
      { toolCalls: [a] },
      { toolCalls: [b] },
      { toolCalls: [a] },
      { toolCalls: [b] },
      { text: 'done' },
    );
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'cycle' });
    await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    expect(textOf(requestMessages(fake, 3))).not.toContain(DOOM_LOOP_MARKER);
    expect(textOf(requestMessages(fake, 4).at(-1)?.content)).toContain('cycle of 2');
  });

  it('turns malformed arguments and unknown tools into error results, and corrects a repeat', async () => {
    app = await startFakeApp(fake, { tools: [echoTool] });
    fake.enqueue(
      { toolCalls: [{ id: 'toolu_bad1', name: 'echo', rawJson: '{"text": "unterminated' }] },
      { toolCalls: [{ id: 'toolu_bad2', name: 'echo', input: { wrong: 1 } }] },
      { toolCalls: [{ id: 'toolu_bad3', name: 'no_such_tool', input: {} }] },
      { text: 'giving up' },
    );
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'try' });
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    const outputs = events.flatMap((e) => (e.type === 'tool_output' ? [e] : []));
    expect(outputs.map((o) => o.ok)).toEqual([false, false, false]);
    expect(outputs[0]?.output).toContain('Invalid JSON');
    expect(outputs[1]?.output).toContain('text');
    expect(outputs[2]?.output).toContain('Unknown tool "no_such_tool"');
    // After the second malformed call to echo the model is told to fix its arguments.
    expect(textOf(requestMessages(fake, 1).at(-1)?.content)).not.toContain('last two calls');
    expect(textOf(requestMessages(fake, 2).at(-1)?.content)).toContain('last two calls to echo');
  });

  it('says so in the thread when maxIterations is reached', async () => {
    app = await startFakeApp(fake, { tools: [echoTool], config: testConfig({ maxIterations: 2 }) });
    fake.setDefault(() => ({ toolCalls: [{ name: 'echo', input: { text: String(Math.random()) } }] }));
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'forever' });
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    expect(events).toContainEqual(expect.objectContaining({ type: 'error', code: 'max_iterations' }));
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete', reason: 'max_iterations' });
    expect(fake.requests).toHaveLength(2);
  });

  it('nudges a turn that ends with open todos, at most twice', async () => {
    app = await startFakeApp(fake);
    fake.enqueue({
      toolCalls: [
        { name: 'plan_tool', input: { todos: [{ id: '1', content: 'train', status: 'pending' }] } },
      ],
    });
    fake.setDefault(() => ({ text: 'done (not really)' }));
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'plan it' });
    await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    expect(fake.requests).toHaveLength(4);
    expect(textOf(requestMessages(fake, 2).at(-1)?.content)).toContain('open todos');
  });
});
