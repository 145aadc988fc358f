import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { messageRequests, startFakeApp, toolResults } from '../helpers/fake-app.js';
import { scratch, stdioServer } from '../helpers/mcp-servers.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';

// MCP over stdio through the real app: the model's `<server>__<tool>` call reaches a server
// spawned from tests/fixtures/mcp-stdio-server.ts (the SDK's McpServer) and the result comes back.
let fake: FakeAnthropic | undefined;
let app: App | undefined;
let files: ReturnType<typeof scratch> | undefined;
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake?.close();
  files?.remove();
});

async function turn(sessionId: string, text: string) {
  await app!.operations.submit(sessionId, { type: 'user_input', text }, 'u1');
  const seen = await waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete', {
    timeoutMs: 30_000,
  });
  return seen.events;
}

describe('MCP over stdio', () => {
  it('a turn calls srv__echo on the server and the result reaches the model, with the server’s own schema', async () => {
    files = scratch();
    fake = await startFakeAnthropic();
    fake.enqueue({ toolCalls: [{ name: 'srv__echo', input: { text: 'hello mcp' } }] }, { text: 'done' });
    const config = testConfig({
      mcpServers: { srv: stdioServer({}, { MCP_STARTS_FILE: join(files.dir, 'starts') }) },
    });
    app = await startFakeApp(fake, { config });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const events = await turn(sessionId, 'echo please');
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });

    const requests = messageRequests(fake);
    expect(toolResults(requests.at(-1))).toEqual(['echo: hello mcp']);
    const tools = (fake.requests[0]!.body as { tools: Array<{ name: string; input_schema: unknown }> }).tools;
    const echo = tools.find((t) => t.name === 'srv__echo');
    expect(echo?.input_schema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string', description: 'what to echo' }, times: { type: 'integer' } },
      required: ['text'],
    });
    expect(files.lines('starts')).toHaveLength(1);
  });
});
