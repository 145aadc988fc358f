import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startMcpHttpServer, type McpHttpServer } from '../fakes/mcp-http-server.js';
import { capturedLogger } from '../helpers/captured-logger.js';
import { messageRequests, toolResults } from '../helpers/fake-app.js';
import { offeredTools, runTurn, startMcpApp, stdioServer } from '../helpers/mcp-servers.js';
import { cleanup, testConfig } from '../helpers/test-app.js';
import { freePort } from '../../src/cli/free-port.js';

// MCP over HTTP through the real app: Streamable HTTP, the SSE fallback, broken servers skipped,
// and the HF server of configs/default.json, against servers written with the SDK's server side
// (tests/fakes/mcp-http-server.ts) on 127.0.0.1.
let fake: FakeAnthropic | undefined;
let app: App | undefined;
const servers: McpHttpServer[] = [];
let blackHole: Server | undefined;
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake?.close();
  for (const server of servers.splice(0)) await server.close();
  blackHole?.closeAllConnections();
  await new Promise((resolve) => (blackHole ? blackHole.close(resolve) : resolve(undefined)));
  blackHole = undefined;
});

const TOKEN = 'mcp-http-token-4417-secret';

async function httpServer(options: Parameters<typeof startMcpHttpServer>[0] = {}): Promise<McpHttpServer> {
  const server = await startMcpHttpServer(options);
  servers.push(server);
  return server;
}

function lastResults(): string[] {
  return toolResults(messageRequests(fake!).at(-1));
}

describe('MCP over HTTP', () => {
  it('Streamable HTTP: ${VAR} in headers reaches the server, is redacted for the model, and one session serves every turn', async () => {
    const web = await httpServer();
    fake = await startFakeAnthropic();
    fake.enqueue(
      { toolCalls: [{ name: 'web__header', input: { name: 'Authorization' } }] },
      { text: 'one' },
      { toolCalls: [{ name: 'web__starts', input: {} }] },
      { text: 'two' },
    );
    const config = testConfig({
      mcpServers: {
        web: { transport: 'http', url: '${WEB_MCP_URL}', headers: { Authorization: 'Bearer ${WEB_TOKEN}' } },
      },
    });
    app = await startMcpApp(fake, { config, env: { WEB_MCP_URL: web.url, WEB_TOKEN: TOKEN } });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await runTurn(app, sessionId, 'who am I');
    expect(lastResults()).toEqual(['Authorization: [redacted]']);
    expect(web.headers.every((h) => h.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(web.headers.some((h) => h['mcp-session-id'] !== undefined)).toBe(true);

    await runTurn(app, sessionId, 'again');
    expect(lastResults().at(-1)).toBe('starts=1');
    expect(web.initializes()).toBe(1);
    expect(JSON.stringify(fake.requests)).not.toContain(TOKEN);
  });

  it('falls back to SSE for a server that only speaks the older HTTP+SSE transport', async () => {
    const old = await httpServer({ mode: 'sse-only' });
    fake = await startFakeAnthropic();
    fake.enqueue({ toolCalls: [{ name: 'old__echo', input: { text: 'via sse' } }] }, { text: 'done' });
    const log = capturedLogger();
    const config = testConfig({ mcpServers: { old: { transport: 'http', url: old.url } } });
    app = await startMcpApp(fake, { config, logger: log.logger });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await runTurn(app, sessionId, 'echo');
    expect(lastResults()).toEqual(['echo: via sse']);
    expect(log.lines.some((l) => l.mcpServer === 'old' && l.via === 'sse')).toBe(true);
    // It was asked with Streamable HTTP first (POST, refused with 405), then over SSE (GET).
    expect(old.headers[0]?.accept).toContain('application/json');
    expect(old.headers.some((h) => h.accept === 'text/event-stream')).toBe(true);
  });

  it('servers that cannot start, refuse the connection, hang, or lack a variable are logged and skipped; the others load', async () => {
    const web = await httpServer();
    blackHole = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => blackHole!.listen(0, '127.0.0.1', resolve));
    const hole = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}/mcp`;
    fake = await startFakeAnthropic();
    fake.enqueue({ text: 'hello' });
    const log = capturedLogger();
    const config = testConfig({
      mcpServers: {
        web: { transport: 'http', url: web.url },
        refused: { transport: 'http', url: 'http://127.0.0.1:9/mcp' },
        silent: { transport: 'http', url: hole, connectTimeoutMs: 500 },
        nocmd: { transport: 'stdio', command: '/nonexistent/mcp-server-binary' },
        exits: stdioServer({}, { MCP_FAIL_START: '1' }),
        novar: { transport: 'http', url: web.url, headers: { 'X-Key': '${MCP_UNSET_VAR}' } },
        off: { transport: 'http', url: web.url, enabled: false },
      },
    });
    app = await startMcpApp(fake, { config, logger: log.logger });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const events = await runTurn(app, sessionId, 'hi');
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });

    const names = offeredTools(fake).map((t) => t.name);
    expect(names).toContain('web__echo');
    for (const dead of ['refused', 'silent', 'nocmd', 'exits', 'novar', 'off']) {
      expect(names.some((n) => n.startsWith(`${dead}__`))).toBe(false);
    }
    const skipped = (server: string) =>
      log.lines.find((l) => l.mcpServer === server && String(l.msg).includes('skipped'))?.msg;
    expect(skipped('refused')).toMatch(/MCP server refused skipped: .+/);
    expect(skipped('silent')).toMatch(/no answer to initialize within/);
    expect(skipped('nocmd')).toMatch(/ENOENT/);
    expect(skipped('exits')).toMatch(/refusing to start \(MCP_FAIL_START\)/);
    expect(skipped('novar')).toBe(
      'MCP server novar skipped: mcpServers.novar.headers.X-Key: environment variable MCP_UNSET_VAR is not set',
    );
    expect(log.lines.find((l) => l.mcpServer === 'off')?.msg).toBe(
      'MCP server off not used: enabled is false',
    );
    expect(app.mcp.status().find((s) => s.name === 'web')).toMatchObject({ state: 'connected' });
  });

  it('a server down at start is retried in the background; its tools join the next LLM call once it answers', async () => {
    const port = await freePort();
    fake = await startFakeAnthropic();
    const log = capturedLogger();
    const config = testConfig({
      mcpServers: { late: { transport: 'http', url: `http://127.0.0.1:${port}/mcp` } },
    });
    app = await startMcpApp(fake, { config, logger: log.logger });
    expect(app.registry.names().some((n) => n.startsWith('late__'))).toBe(false);
    await log.waitFor((l) => l.mcpServer === 'late' && String(l.msg).includes('skipped'));

    await httpServer({ port });
    await log.waitFor((l) => l.mcpServer === 'late' && String(l.msg).includes('connected'), {
      timeoutMs: 10_000,
    });
    fake.enqueue({ toolCalls: [{ name: 'late__echo', input: { text: 'made it' } }] }, { text: 'done' });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await runTurn(app, sessionId, 'echo');
    expect(offeredTools(fake).map((t) => t.name)).toContain('late__echo');
    expect(lastResults()).toEqual(['echo: made it']);
  });

  it('the default config’s HF server: Bearer HF_TOKEN to {HF_ENDPOINT}/mcp, its duplicate tools hidden', async () => {
    const hf = await httpServer({
      extraTools: ['hf_jobs', 'hf_doc_search', 'hf_doc_fetch', 'hf_whoami', 'model_search', 'space_search'],
    });
    const hfToken = 'hf_mcpDefaultConfigToken000000000000';
    const env = { HF_TOKEN: hfToken, HF_ENDPOINT: hf.url.replace(/\/mcp$/, '') };
    // The `hf` entry exactly as configs/default.json has it.
    const defaults = loadConfig({}, {}).mcpServers;
    expect(defaults.hf).toBeDefined();
    fake = await startFakeAnthropic();
    fake.enqueue({ toolCalls: [{ name: 'hf__model_search', input: {} }] }, { text: 'done' });
    app = await startMcpApp(fake, { config: testConfig({ mcpServers: defaults }), env });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await runTurn(app, sessionId, 'find a model');
    expect(lastResults()).toEqual(['model_search ran']);
    const names = offeredTools(fake).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['hf__model_search', 'hf__space_search']));
    for (const hidden of ['hf_jobs', 'hf_doc_search', 'hf_doc_fetch', 'hf_whoami']) {
      expect(names).not.toContain(`hf__${hidden}`);
    }
    expect(hf.headers[0]?.authorization).toBe(`Bearer ${hfToken}`);
  });

  it('the default config’s HF server is not used without HF_TOKEN', async () => {
    const hf = await httpServer();
    fake = await startFakeAnthropic();
    fake.enqueue({ text: 'hello' });
    const log = capturedLogger();
    const defaults = loadConfig({}, {}).mcpServers;
    app = await startMcpApp(fake, {
      config: testConfig({ mcpServers: defaults }),
      env: { HF_ENDPOINT: hf.url.replace(/\/mcp$/, '') },
      logger: log.logger,
    });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await runTurn(app, sessionId, 'hi');
    expect(offeredTools(fake).some((t) => t.name.startsWith('hf__'))).toBe(false);
    expect(log.lines.find((l) => l.mcpServer === 'hf')?.msg).toBe(
      'MCP server hf not used: HF_TOKEN not set (requiresEnv)',
    );
    expect(hf.headers).toHaveLength(0);
  });
});
