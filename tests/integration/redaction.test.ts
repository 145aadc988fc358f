import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { App } from '../../src/cli/app.js';
import { defineTool } from '../../src/core/tool-spec.js';
import { createRedactor, REDACTED } from '../../src/core/redact.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeApp } from '../helpers/fake-app.js';
import { cleanup, waitForEvent } from '../helpers/test-app.js';

/** A secret the process knows (an env token), and one it does not but whose shape gives it away. */
const KNOWN = 'known-deployment-secret-4242';
const SHAPED = `hf_${'Zq9'.repeat(12)}`;

/** A tool that prints both secrets, the way `env` or a config dump would. */
const leakyTool = defineTool({
  name: 'print_env',
  description: 'Prints the environment.',
  parameters: z.object({}),
  sideEffects: false,
  needsApproval: () => undefined,
  async execute(_args, ctx) {
    await ctx.log(`DEPLOY_SECRET=${KNOWN}`);
    return { output: `DEPLOY_SECRET=${KNOWN}\nHF_TOKEN=${SHAPED}\n` };
  },
});

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

describe('one redaction point', () => {
  it('redacts tool output before the history, the model and the thread see it, and every event', async () => {
    fake.enqueue(
      {
        text: `Checking ${KNOWN}.`,
        toolCalls: [
          { id: 'c1', name: 'print_env', input: {} },
          {
            id: 'c2',
            name: 'plan_tool',
            input: { todos: [{ id: '1', content: `rotate ${SHAPED}`, status: 'pending' }] },
          },
        ],
      },
      { text: 'Done.' },
    );
    app = await startFakeApp(fake, { tools: [leakyTool], redact: createRedactor([KNOWN]) });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'show me the env' }, 'u1');
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete');

    const history = JSON.stringify(await app.history.load(sessionId));
    const toolResult = (await app.history.load(sessionId)).find(
      (m) => m.role === 'tool' && m.name === 'print_env',
    );
    expect(toolResult?.content).toBe(`DEPLOY_SECRET=${REDACTED}\nHF_TOKEN=${REDACTED}\n`);
    // The model's second request carries the tool results: redacted.
    const body = fake.requests[1]?.body as { messages: Array<{ role: string; content: unknown }> };
    const results = JSON.stringify(body.messages.at(-1)?.content);
    expect(results).toContain('tool_result');
    expect(results).toContain(`DEPLOY_SECRET=${REDACTED}`);
    expect(results).not.toContain(KNOWN);
    expect(results).not.toContain(SHAPED);
    // Every event, plan_update and tool_log included.
    const stream = JSON.stringify(events);
    expect(stream).not.toContain(KNOWN);
    expect(stream).not.toContain(SHAPED);
    const plan = events.find((e) => e.type === 'plan_update');
    expect(plan?.type === 'plan_update' && plan.todos[0]?.content).toBe(`rotate ${REDACTED}`);
    const log = events.find((e) => e.type === 'tool_log');
    expect(log?.type === 'tool_log' && log.log).toBe(`DEPLOY_SECRET=${REDACTED}`);
    // The tool-call arguments in the history stay exact: the tool must run with what the model sent.
    expect(history).toContain(`rotate ${SHAPED}`);
  });
});
