import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { TOOL_NAME_RULE } from '../../src/mcp/tool-names.js';
import { researchTools } from '../../src/tools/research/read-only-view.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { LONG_TOOL_NAME, PIXEL_PNG_BASE64 } from '../fakes/mcp-test-server.js';
import { capturedLogger } from '../helpers/captured-logger.js';
import { messageRequests, toolResults } from '../helpers/fake-app.js';
import { offeredTools, runTurn, scratch, startMcpApp, stdioServer } from '../helpers/mcp-servers.js';
import { eventually } from '../helpers/slack-harness.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';

// MCP over stdio through the real app: the model's `srv__<tool>` calls reach a server spawned from
// tests/fixtures/mcp-stdio-server.ts (the SDK's McpServer), and the results come back to the model.
let fake: FakeAnthropic | undefined;
let app: App | undefined;
let files: ReturnType<typeof scratch> | undefined;
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake?.close();
  files?.remove();
});

const SECRET = 'stdio-secret-value-7731';

async function start(server: Record<string, unknown> = {}, extraEnv: Record<string, string> = {}) {
  files = scratch();
  fake = await startFakeAnthropic();
  const log = capturedLogger();
  // `${VAR}` in env is substituted when the server starts: the counter files land in MCP_DIR.
  const env = {
    MCP_STARTS_FILE: '${MCP_DIR}/starts',
    MCP_CANCEL_FILE: '${MCP_DIR}/cancelled',
    SECRET_VALUE: '${MCP_TEST_SECRET}',
    ...extraEnv,
  };
  const config = testConfig({ mcpServers: { srv: stdioServer(server, env) } });
  app = await startMcpApp(fake, {
    config,
    env: { MCP_DIR: files.dir, MCP_TEST_SECRET: SECRET },
    logger: log.logger,
  });
  const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
  return { sessionId, log };
}

function lastResults(): string[] {
  return toolResults(messageRequests(fake!).at(-1));
}

describe('MCP over stdio', () => {
  it('a turn calls srv__echo on the server and the result reaches the model, with the server’s own schema', async () => {
    const { sessionId } = await start();
    fake!.enqueue({ toolCalls: [{ name: 'srv__echo', input: { text: 'hello mcp' } }] }, { text: 'done' });
    const events = await runTurn(app!, sessionId, 'echo please');
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });
    expect(lastResults()).toEqual(['echo: hello mcp']);

    const echo = offeredTools(fake!).find((t) => t.name === 'srv__echo');
    expect(echo?.input_schema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string', description: 'what to echo' }, times: { type: 'integer' } },
      required: ['text'],
    });
    expect(files!.lines('starts')).toHaveLength(1);
  });

  it('substitutes ${VAR} in env at start; the value reaches the server but is redacted from the result', async () => {
    const { sessionId } = await start();
    fake!.enqueue(
      { toolCalls: [{ name: 'srv__env_value', input: { name: 'SECRET_VALUE' } }] },
      { toolCalls: [{ name: 'srv__env_value', input: { name: 'HF_TOKEN' } }] },
      { text: 'done' },
    );
    await runTurn(app!, sessionId, 'read the env');
    // The starts file exists in MCP_DIR: `${MCP_DIR}` was substituted in the server's env.
    expect(files!.lines('starts')).toHaveLength(1);
    const [secret, token] = lastResults();
    expect(secret).toBe('SECRET_VALUE=[redacted]');
    // The worker's own environment is not passed on: only the SDK's minimal one and `env`.
    expect(token).toBe('HF_TOKEN=(unset)');
    expect(JSON.stringify(fake!.requests)).not.toContain(SECRET);
  });

  it('keeps one connection across turns and sessions', async () => {
    const { sessionId } = await start();
    fake!.enqueue(
      { toolCalls: [{ name: 'srv__starts', input: {} }] },
      { text: 'one' },
      { toolCalls: [{ name: 'srv__starts', input: {} }] },
      { text: 'two' },
    );
    await runTurn(app!, sessionId, 'first');
    const other = await app!.startSession({ owner: 'u2', platform: 'terminal' });
    await runTurn(app!, other, 'second');
    expect(lastResults()).toEqual(['starts=1']);
    expect(files!.lines('starts')).toHaveLength(1);
  });

  it('a tool the server adds later (tools/list_changed) joins the next LLM call', async () => {
    const { sessionId } = await start();
    expect(app!.registry.get('srv__grown')).toBeUndefined();
    fake!.enqueue({ toolCalls: [{ name: 'srv__grow', input: {} }] }, { text: 'grew it' });
    await runTurn(app!, sessionId, 'grow');
    await eventually(() => app!.registry.get('srv__grown'));
    fake!.enqueue({ toolCalls: [{ name: 'srv__grown', input: {} }] }, { text: 'done' });
    await runTurn(app!, sessionId, 'use it');
    expect(offeredTools(fake!, -2).map((t) => t.name)).toContain('srv__grown');
    expect(lastResults().at(-1)).toBe('grown ran');
    // Refreshed over the same connection: no new server process.
    expect(files!.lines('starts')).toHaveLength(1);
  });

  it('needsApproval lists the tools that ask: approval_required, nothing run until approved', async () => {
    const { sessionId } = await start({ needsApproval: ['env_value'] });
    fake!.enqueue({
      toolCalls: [{ id: 'toolu_env', name: 'srv__env_value', input: { name: 'SECRET_VALUE' } }],
    });
    const events = await runTurn(app!, sessionId, 'read it');
    expect(events.at(-1)).toMatchObject({ outcome: 'awaiting_approval' });
    const asked = events.find((e) => e.type === 'approval_required');
    expect(asked).toMatchObject({ calls: [{ toolCallId: 'toolu_env', tool: 'srv__env_value' }] });
    const reason = asked?.type === 'approval_required' ? asked.calls[0]?.reason : undefined;
    expect(reason).toBe("the srv MCP server's env_value asks first (mcpServers.srv.needsApproval)");
    // Approved, it runs on the server and its result reaches the model.
    fake!.enqueue({ text: 'ok' });
    const after = (await app!.events.last(sessionId))?.streamId ?? '0';
    await app!.operations.submit(
      sessionId,
      { type: 'exec_approval', decisions: [{ toolCallId: 'toolu_env', approved: true }] },
      'u1',
    );
    await waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete', { after, timeoutMs: 30_000 });
    expect(lastResults()).toEqual(['SECRET_VALUE=[redacted]']);
    // echo is not in the list: it runs unasked.
    expect(app!.registry.get('srv__echo')?.needsApproval({}, { sessionId })).toBeUndefined();
  });

  it('a hanging call times out with a clear result, the server is told to cancel, and the next call works', async () => {
    const { sessionId, log } = await start({ timeoutMs: 1_000 });
    fake!.enqueue(
      { toolCalls: [{ name: 'srv__hang', input: {} }] },
      { toolCalls: [{ name: 'srv__echo', input: { text: 'still here' } }] },
      { text: 'done' },
    );
    const events = await runTurn(app!, sessionId, 'hang');
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });
    const results = toolResults(messageRequests(fake!).at(-1));
    expect(results[0]).toBe('MCP error (mcp_timeout): srv/hang gave no result within 1 s');
    expect(results[1]).toBe('echo: still here');
    await eventually(() => files!.lines('cancelled').includes('cancelled'));
    expect(log.lines.some((l) => l.code === 'mcp_timeout' && String(l.msg).includes('srv/hang'))).toBe(true);
  });

  it('an interrupt aborts a running call: the server gets the cancel, the turn ends interrupted', async () => {
    const { sessionId } = await start();
    fake!.enqueue({ toolCalls: [{ id: 'toolu_hang', name: 'srv__hang', input: {} }] });
    await app!.operations.submit(sessionId, { type: 'user_input', text: 'hang' }, 'u1');
    // The call has reached the server (not just started on our side) before the interrupt.
    await eventually(() => files!.lines('cancelled').includes('started'));
    await app!.submit(sessionId, { type: 'interrupt' });
    const { events } = await waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete');
    expect(events.at(-1)).toMatchObject({ outcome: 'interrupted' });
    await eventually(() => files!.lines('cancelled').includes('cancelled'));
  });

  it('a server that exits mid-call gives an error result, and the next call reconnects', async () => {
    const { sessionId } = await start();
    fake!.enqueue(
      { toolCalls: [{ name: 'srv__crash', input: {} }] },
      { toolCalls: [{ name: 'srv__starts', input: {} }] },
      { text: 'done' },
    );
    const events = await runTurn(app!, sessionId, 'crash');
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });
    const [crashed, next] = lastResults();
    expect(crashed).toMatch(/^MCP error \(mcp_closed\): the srv MCP server closed the connection/);
    expect(next).toBe('starts=1');
    expect(files!.lines('starts')).toHaveLength(2);
  });

  it('a malformed result is an error result for the model and the worker goes on', async () => {
    const { sessionId } = await start();
    fake!.enqueue(
      { toolCalls: [{ name: 'srv__malformed', input: {} }] },
      { toolCalls: [{ name: 'srv__echo', input: { text: 'after' } }] },
      { text: 'done' },
    );
    const events = await runTurn(app!, sessionId, 'break it');
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });
    const [broken, after] = lastResults();
    expect(broken).toMatch(
      /^MCP error \(mcp_malformed\): srv\/malformed returned a malformed result \(content: /,
    );
    expect(after).toBe('echo: after');
  });

  it('an image goes to the thread as an attachment event; the model gets a note; a huge one stays a note', async () => {
    const { sessionId } = await start();
    fake!.enqueue(
      { toolCalls: [{ id: 'toolu_pic', name: 'srv__picture', input: {} }] },
      { toolCalls: [{ name: 'srv__huge_picture', input: {} }] },
      { text: 'done' },
    );
    const events = await runTurn(app!, sessionId, 'draw');
    const attachments = events.filter((e) => e.type === 'attachment');
    expect(attachments).toEqual([
      expect.objectContaining({
        toolCallId: 'toolu_pic',
        tool: 'srv__picture',
        name: 'srv__picture-1.png',
        mimeType: 'image/png',
        dataBase64: PIXEL_PNG_BASE64,
      }),
    ]);
    const [picture, huge] = lastResults();
    expect(picture).toBe('here is the chart\n[image srv__picture-1.png attached to the thread]');
    expect(huge).toBe('[image image/png, 4,608 KB: over the 4,096 KB attachment limit, not attached]');
  });

  it('names the model APIs refuse are made safe, side effects follow readOnlyHint, research sees read-only tools only', async () => {
    const { sessionId } = await start();
    const names = offeredToolsAfterTurn(await runAwkward(sessionId));
    const awkward = names.find((n) => n.startsWith('srv__weird_name_with_dots'));
    expect(awkward).toMatch(TOOL_NAME_RULE);
    for (const name of names) expect(name).toMatch(TOOL_NAME_RULE);
    expect(lastResults()).toEqual(['awkward but fine']);

    expect(app!.registry.get('srv__echo')?.sideEffects).toBe(false);
    expect(app!.registry.get('srv__env_value')?.sideEffects).toBe(true);
    const research = researchTools(app!.registry.all()).map((s) => s.name);
    expect(research).toContain('srv__echo');
    expect(research).not.toContain('srv__env_value');
  });
});

async function runAwkward(sessionId: string): Promise<string[]> {
  const awkward = app!.registry.names().find((n) => n.startsWith('srv__weird'));
  expect(awkward).toBeDefined();
  expect(LONG_TOOL_NAME.length).toBeGreaterThan(64);
  fake!.enqueue({ toolCalls: [{ name: awkward!, input: {} }] }, { text: 'done' });
  await runTurn(app!, sessionId, 'awkward');
  return offeredTools(fake!).map((t) => t.name);
}

function offeredToolsAfterTurn(names: string[]): string[] {
  return names.filter((n) => n.startsWith('srv__'));
}
