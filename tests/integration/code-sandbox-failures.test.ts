import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { messageRequests, toolResults } from '../helpers/fake-app.js';
import { eventually, SANDBOX_HF_TOKEN, startSandboxRig, type SandboxRig } from '../helpers/sandbox-app.js';
import { waitForEvent } from '../helpers/test-app.js';

// Bad days of the hf-sandbox runtime: each ends in a clear result for the model, never a token.
let rig: SandboxRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function oneCall(r: SandboxRig, input: Record<string, unknown>, tool = 'bash'): Promise<string> {
  r.fake.enqueue({ toolCalls: [{ name: tool, input }] }, { text: 'ok' });
  const sessionId = await r.app.startSession({ owner: 'u1', platform: 'terminal' });
  const { events } = await r.turn(sessionId, 'go');
  const result = toolResults(messageRequests(r.fake).at(-1)).at(-1) ?? '';
  expect(JSON.stringify(events)).not.toContain(SANDBOX_HF_TOKEN);
  expect(result).not.toContain(SANDBOX_HF_TOKEN);
  return result;
}

/** Running (a zombie waiting for a reaper counts as gone): `/proc/<pid>/stat`'s state. */
function alive(pid: number): boolean {
  return running().some((p) => p.pid === pid);
}

/** The live processes of the host: pid, process group, state other than zombie. */
function running(): Array<{ pid: number; pgrp: number }> {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return fields[0] === 'Z' ? [] : [{ pid: Number(name), pgrp: Number(fields[2]) }];
      } catch {
        return [];
      }
    });
}

describe('hf-sandbox failures', () => {
  it('a stream cut mid-way says so and stops the command', async () => {
    rig = await startSandboxRig();
    rig.sandbox.knobs.cutAfterStdout = 1;
    const result = await oneCall(rig, { command: 'echo first; sleep 0.3; echo second; sleep 20' });
    expect(result).toContain('first');
    expect(result).toContain('The connection to the sandbox was lost while the command ran');
    const pid = rig.sandbox.pids[0]!;
    await eventually(() => !alive(pid));
  });

  it('a malformed NDJSON line is skipped and reported', async () => {
    rig = await startSandboxRig();
    rig.sandbox.knobs.malformedLine = true;
    const result = await oneCall(rig, { command: 'echo fine' });
    expect(result).toContain('fine');
    expect(result).toContain("1 line(s) of the sandbox's output stream could not be read and were skipped");
    expect(result).toContain('Exit code 0.');
  });

  it('a sandbox that never answers /health is cancelled, with a clear message', async () => {
    rig = await startSandboxRig({ sandboxStartTimeoutSeconds: 1 });
    rig.sandbox.knobs.unhealthyFor = 1_000_000;
    const result = await oneCall(rig, { command: 'echo never' });
    expect(result).toContain('did not answer within 1 s, so it was cancelled');
    await eventually(() => rig!.world.jobs[0]!.canceled);
  });

  it('a token the Hub refuses (401) is reported without the token', async () => {
    rig = await startSandboxRig({}, { token: 'hf_refusedToken0000000000000000000000' });
    const result = await oneCall(rig, { command: 'echo hi' });
    expect(result).toMatch(/HF_TOKEN/);
    expect(result).not.toContain('hf_refusedToken');
    expect(rig.world.runRequests).toHaveLength(0);
  });

  it('a sandbox server that refuses the token (403) is reported without either token', async () => {
    rig = await startSandboxRig();
    const sandbox = rig.sandbox;
    rig.world.exposeUrl = () => {
      sandbox.expectToken(SANDBOX_HF_TOKEN, '0'.repeat(32));
      return sandbox.url;
    };
    const result = await oneCall(rig, { command: 'echo hi' });
    expect(result).toContain('(403)');
    expect(result).toContain('invalid or missing X-Sandbox-Token');
    const sent = sandbox.requests.find((r) => r.headers['x-sandbox-token'])?.headers['x-sandbox-token'];
    expect(result).not.toContain(String(sent));
  });

  it('an interrupt kills the command and its children in the sandbox', async () => {
    rig = await startSandboxRig();
    rig.fake.enqueue(
      { toolCalls: [{ name: 'bash', input: { command: 'sleep 30 & sleep 31' } }] },
      { text: 'ok' },
    );
    const sessionId = await rig.app.startSession({ owner: 'u1', platform: 'terminal' });
    await rig.app.operations.submit(sessionId, { type: 'user_input', text: 'sleep' }, 'u1');
    await eventually(() => rig!.sandbox.pids.length > 0);
    const pid = rig.sandbox.pids[0]!;
    await rig.app.submit(sessionId, { type: 'interrupt' }, 'u1');
    await waitForEvent(rig.app, sessionId, (e) => e.type === 'operation_complete', { timeoutMs: 20_000 });
    await eventually(() => !alive(pid));
    const kill = rig.sandbox.requests.find((r) => r.method === 'POST' && r.path === '/v1/processes');
    expect(kill).toBeDefined();
    // The whole group went: no `sleep 30` of that group is left.
    await eventually(() => !running().some((p) => p.pgrp === pid));
  });
});
