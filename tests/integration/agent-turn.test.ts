import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../src/core/tool-spec.js';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { messageRequests, startFakeApp } from '../helpers/fake-app.js';
import { cleanup, waitForEvent } from '../helpers/test-app.js';

// The model is the real Anthropic SDK talking to the loopback fake: the wire protocol is exercised too.
let fake: FakeAnthropic;
let app: App | undefined;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake.close();
});

describe('agent turn over the queue', () => {
  it('runs a turn with a plan_tool call and answers', async () => {
    fake.enqueue(
      {
        text: 'Planning.',
        toolCalls: [
          {
            name: 'plan_tool',
            input: { todos: [{ id: '1', content: 'look at data', status: 'completed' }] },
          },
        ],
      },
      { text: 'All done.', textChunkChars: 3 },
    );
    app = await startFakeApp(fake);
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await app.operations.submit(sessionId, { type: 'user_input', text: 'hello' }, 'u1');
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    const types = events.map((e) => e.type);
    expect(types).toContain('plan_update');
    expect(types).toContain('tool_output');
    const text = events.flatMap((e) => (e.type === 'assistant_chunk' ? [e.text] : [])).join('');
    expect(text).toBe('Planning.All done.');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const history = await app.history.load(sessionId);
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(messageRequests(fake)).toHaveLength(2);
  });
});

describe('parallel tool calls', () => {
  it('runs calls that need no approval at the same time, and records results in the calls order', async () => {
    // Each call waits until both have started: run one after the other, the first would time out.
    let started = 0;
    const rendezvous = defineTool({
      name: 'rendezvous',
      description: 'Waits for its partner.',
      parameters: z.object({ name: z.string(), delayMs: z.number() }),
      sideEffects: false,
      needsApproval: () => undefined,
      async execute(args) {
        started++;
        const deadline = Date.now() + 2_000;
        while (started < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        if (started < 2) return { output: `${args.name} waited alone`, isError: true };
        await new Promise((r) => setTimeout(r, args.delayMs));
        return { output: `${args.name} met its partner` };
      },
    });
    fake.enqueue(
      {
        toolCalls: [
          { id: 'toolu_slow', name: 'rendezvous', input: { name: 'first', delayMs: 100 } },
          { id: 'toolu_fast', name: 'rendezvous', input: { name: 'second', delayMs: 0 } },
        ],
      },
      { text: 'Both done.' },
    );
    app = await startFakeApp(fake, { tools: [rendezvous] });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await app.operations.submit(sessionId, { type: 'user_input', text: 'go' }, 'u1');
    await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    const tools = (await app.history.load(sessionId)).filter((m) => m.role === 'tool');
    expect(tools.map((m) => m.content)).toEqual(['first met its partner', 'second met its partner']);
  });
});
