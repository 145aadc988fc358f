import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { messageRequests, toolResults } from '../helpers/fake-app.js';
import { SANDBOX_HF_TOKEN, startSandboxRig, type SandboxRig } from '../helpers/sandbox-app.js';

// code.runtime hf-sandbox through whole turns: the sandbox job is launched as huggingface_hub's
// Sandbox.create launches it, commands stream to the thread, files go through /v1/files/*.
let rig: SandboxRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('hf-sandbox runtime', () => {
  it('creates the sandbox job as the reference does, runs commands with streamed output, and edits files', async () => {
    rig = await startSandboxRig();
    rig.fake.enqueue(
      { toolCalls: [{ name: 'write', input: { path: 'hello.sh', content: 'echo "sum=$((40 + 2))"\n' } }] },
      {
        toolCalls: [
          {
            id: 'toolu_run',
            name: 'bash',
            input: { command: 'for i in 1 2 3; do echo line $i; done; sh hello.sh', timeout: '30s' },
          },
        ],
      },
      { toolCalls: [{ name: 'read', input: { path: '.mlib/outputs/toolu_run.log' } }] },
      { toolCalls: [{ name: 'edit', input: { path: 'hello.sh', old_str: '40', new_str: '41' } }] },
      { toolCalls: [{ name: 'bash', input: { command: 'sh hello.sh' } }] },
      { text: 'The script prints sum=43 now.' },
    );
    const sessionId = await rig.app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await rig.turn(sessionId, 'write and run a script');
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });

    // One job, launched as `Sandbox.create` launches it.
    expect(rig.world.runRequests).toHaveLength(1);
    const spec = rig.world.runRequests[0]!.json as {
      labels: Record<string, string>;
      command: string[];
      secrets: Record<string, string>;
    };
    const nonce = spec.labels['hf-sandbox-nonce'] ?? '';
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(spec).toMatchObject({
      dockerImage: 'python:3.12',
      flavor: 'cpu-basic',
      timeoutSeconds: 86_400,
      expose: { ports: [49983] },
      labels: { 'hf-sandbox': '1', 'hf-sandbox-mode': 'dedicated' },
      environment: {
        SBX_PORT: '49983',
        SBX_IDLE_TIMEOUT: String(30 * 60 + 60),
        SBX_SERVER_URL: `${rig.hub.url}/buckets/huggingface/sbx-server/resolve/sbx-server`,
        SBX_SERVER_MOUNT: '/.hf-sbx-server',
      },
      volumes: [
        { type: 'bucket', source: 'huggingface/sbx-server', mountPath: '/.hf-sbx-server', readOnly: true },
      ],
    });
    expect(spec.command[0]).toBe('/bin/sh');
    expect(spec.command[1]).toBe('-c');
    expect(spec.command[2]).toContain('wget -q -O "$d" "$SBX_SERVER_URL"');
    expect(spec.command[2]).toContain('exec "$d"');
    const sandboxToken = createHmac('sha256', SANDBOX_HF_TOKEN).update(`hf-sandbox:${nonce}`).digest('hex');
    // Only the derived token reaches the job; the HF token never does.
    expect(spec.secrets).toEqual({ SBX_TOKEN: sandboxToken });
    expect(JSON.stringify(spec)).not.toContain(SANDBOX_HF_TOKEN);

    // Every call to the server carried both credentials (the fake refuses others).
    const authed = rig.sandbox.requests.filter((r) => r.path !== '/health');
    expect(authed.length).toBeGreaterThan(4);
    for (const r of authed) {
      expect(r.headers.authorization).toBe(`Bearer ${SANDBOX_HF_TOKEN}`);
      expect(r.headers['x-sandbox-token']).toBe(sandboxToken);
    }

    const results = toolResults(messageRequests(rig.fake).at(-1));
    expect(results[0]).toContain('Created hello.sh');
    expect(results[1]).toContain('line 3');
    expect(results[1]).toContain('sum=42');
    expect(results[1]).toContain('Exit code 0.');
    expect(results[1]).toContain('/workspace/.mlib/outputs/toolu_run.log');
    expect(results[2]).toMatch(/1\tline 1/);
    expect(results[2]).toMatch(/4\tsum=42/);
    expect(results[3]).toContain('Edited hello.sh (1 replacement)');
    expect(results[4]).toContain('sum=43');
    expect(readFileSync(join(rig.sandbox.root, 'workspace/hello.sh'), 'utf8')).toBe(
      'echo "sum=$((41 + 2))"\n',
    );
    // The command ran in /workspace through /bin/sh -c, and its output streamed to the thread.
    expect(
      rig.sandbox.execs.some((e) => e.cmd === 'sh hello.sh' && e.shell === true && e.cwd === '/workspace'),
    ).toBe(true);
    expect(events.some((e) => e.type === 'tool_log' && e.log.includes('line 2'))).toBe(true);
    expect(JSON.stringify(events)).not.toContain(SANDBOX_HF_TOKEN);
    expect(JSON.stringify(events)).not.toContain(sandboxToken);
  });

  it('refuses to overwrite a sandbox file it has not read', async () => {
    rig = await startSandboxRig();
    rig.fake.enqueue(
      { toolCalls: [{ name: 'bash', input: { command: 'echo old > notes.txt' } }] },
      { toolCalls: [{ name: 'write', input: { path: 'notes.txt', content: 'new\n' } }] },
      { text: 'ok' },
    );
    const sessionId = await rig.app.startSession({ owner: 'u1', platform: 'terminal' });
    await rig.turn(sessionId, 'overwrite');
    const results = toolResults(messageRequests(rig.fake).at(-1));
    expect(results[1]).toContain('You must read notes.txt before overwriting it');
    expect(readFileSync(join(rig.sandbox.root, 'workspace/notes.txt'), 'utf8')).toBe('old\n');
  });
});
