import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { App } from '../../src/cli/app.js';
import type { Config } from '../../src/config/schema.js';
import type { AgentEvent } from '../../src/core/events.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { testApp, waitForEvent } from './test-app.js';

/** tsx's loader by absolute URL, so the stdio server child runs TypeScript from any directory. */
const TSX = import.meta.resolve('tsx');
const STDIO_SERVER = fileURLToPath(new URL('../fixtures/mcp-stdio-server.ts', import.meta.url));

/** A scratch folder for one test's counter files, removed by `remove`. */
export function scratch(): { dir: string; lines(name: string): string[]; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mlib-mcp-'));
  return {
    dir,
    lines: (name) => {
      try {
        return readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `mcpServers.<name>` for the test server over stdio (tests/fixtures/mcp-stdio-server.ts). */
export function stdioServer(extra: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  return {
    transport: 'stdio',
    command: process.execPath,
    args: ['--import', TSX, STDIO_SERVER],
    env,
    ...extra,
  };
}

/** An app whose model is the fake Anthropic server, with its MCP servers connected and workers running. */
export async function startMcpApp(
  fake: FakeAnthropic,
  options: { config: Config; env?: Record<string, string>; logger?: Logger },
): Promise<App> {
  const app = testApp({
    config: options.config,
    anthropic: { apiKey: 'test-key', baseURL: fake.url },
    env: { PATH: process.env.PATH ?? '', ...options.env },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await app.startWorkers();
  return app;
}

/** Submits a user message and waits for its `operation_complete`; returns the events of the operation. */
export async function runTurn(app: App, sessionId: string, text: string): Promise<AgentEvent[]> {
  const after = (await app.events.last(sessionId))?.streamId ?? '0';
  await app.operations.submit(sessionId, { type: 'user_input', text }, 'u1');
  const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete', {
    timeoutMs: 30_000,
    after,
  });
  return events;
}

/** The tool definitions the model was offered in the n-th Messages request. */
export function offeredTools(fake: FakeAnthropic, index = 0): Array<{ name: string; input_schema: unknown }> {
  const requests = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages');
  return (requests.at(index)?.body as { tools?: Array<{ name: string; input_schema: unknown }> }).tools ?? [];
}
