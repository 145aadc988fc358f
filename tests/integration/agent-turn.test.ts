import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedProvider } from '../../src/llm/scripted-provider.js';
import type { App } from '../../src/cli/app.js';
import { cleanup, testApp, waitForEvent } from '../helpers/test-app.js';

let app: App | undefined;
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
});

describe('agent turn over the queue', () => {
  it('runs a turn with a plan_tool call and answers', async () => {
    const llm = new ScriptedProvider((_req, i) =>
      i === 0
        ? {
            text: 'Planning.',
            toolCalls: [
              {
                name: 'plan_tool',
                input: { todos: [{ id: '1', content: 'look at data', status: 'completed' }] },
              },
            ],
          }
        : { text: 'All done.', chunks: 3 },
    );
    app = testApp({ llm });
    await app.startWorkers();
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
    expect(llm.requests).toHaveLength(2);
  });
});
