import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { skipWithoutBwrap } from '../helpers/bwrap.js';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { messageRequests, startFakeApp, toolResults } from '../helpers/fake-app.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';

// A whole turn with the code tools: the model writes a script, runs it with bash (in bubblewrap),
// then reads the output bash saved, all in the session's own workspace.
let fake: FakeAnthropic | undefined;
let app: App | undefined;
let root: string | undefined;
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.skipIf(skipWithoutBwrap)('a coding turn', () => {
  it('writes a script, runs it in the sandbox, and reads its saved output', async () => {
    root = mkdtempSync(join(tmpdir(), 'mlib-code-turn-'));
    fake = await startFakeAnthropic();
    fake.enqueue(
      { toolCalls: [{ name: 'write', input: { path: 'hello.sh', content: 'echo "sum=$((40 + 2))"\n' } }] },
      { toolCalls: [{ id: 'toolu_run', name: 'bash', input: { command: 'bash hello.sh', timeout: '30s' } }] },
      { toolCalls: [{ name: 'read', input: { path: '.mlib/outputs/toolu_run.log' } }] },
      { text: 'The script prints sum=42.' },
    );
    app = await startFakeApp(fake, { config: testConfig({ code: { workspaceRoot: root } }) });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await app.operations.submit(sessionId, { type: 'user_input', text: 'write and run a script' }, 'u1');
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete', {
      timeoutMs: 30_000,
    });
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });
    const results = toolResults(messageRequests(fake).at(-1));
    expect(results[0]).toMatch(/hello\.sh/);
    expect(results[1]).toContain('sum=42');
    expect(results[1]).toContain('Exit code 0');
    expect(results[2]).toMatch(/1\tsum=42/);
    expect(events.some((e) => e.type === 'tool_log' && e.log.includes('sum=42'))).toBe(true);
  });
});
