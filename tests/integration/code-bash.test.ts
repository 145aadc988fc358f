import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutBwrap } from '../helpers/bwrap.js';
import { bashTools } from '../../src/tools/code/bash-index.js';
import { NO_BWRAP_REASON } from '../../src/tools/code/bash-tool.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

const PROJECT = resolve(import.meta.dirname, '../..');
let root: string;
let harness: ToolHarness;

/** Host pids whose command line is exactly `command` (the sandbox's own pids are in another namespace). */
function pidsWith(command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (cmdline === command) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

async function waitFor(check: () => boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mlib-bash-'));
  harness = toolHarness();
});
afterAll(async () => {
  await harness.close();
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(skipWithoutBwrap)('bash (local runtime, bubblewrap)', () => {
  const bash = () => bashTools({ workspaceRoot: root, network: false })[0]!;

  it('runs in the workspace, returns the exit code and streams output to the thread', async () => {
    const tool = bash();
    expect(harness.approval(tool, { command: 'echo hi' })).toBeUndefined();
    const result = await harness.run(tool, { command: 'echo hello-from-bash; pwd; echo oops >&2' });
    expect(result.isError).toBeUndefined();
    expect(result.output).toContain('hello-from-bash');
    expect(result.output).toContain(join(root, 'harness-session'));
    expect(result.output).toContain('oops');
    expect(result.output).toContain('Exit code 0.');
    expect(harness.logs.join('\n')).toContain('hello-from-bash');
  });

  it('reports a non-zero exit as an error', async () => {
    const result = await harness.run(bash(), { command: 'echo failing; exit 3' });
    expect(result.isError).toBe(true);
    expect(result.output).toContain('Exit code 3.');
  });

  it('sees neither the project, /root, nor another session, and cannot write outside the workspace', async () => {
    const other = join(root, 'other-session');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'secret.txt'), 'theirs');
    const result = await harness.run(bash(), {
      command: [
        `test -e ${PROJECT}/package.json && echo SEES-PROJECT`,
        'ls /root >/dev/null 2>&1 && echo SEES-ROOT',
        // /etc only as far as programs need it: no shadow file, no SSH host keys.
        'test -e /etc/shadow && echo SEES-SHADOW',
        'test -e /etc/ssh && echo SEES-SSH',
        'test -e /etc/passwd && echo HAS-PASSWD',
        `test -e ${join(other, 'secret.txt')} && echo SEES-OTHER`,
        '{ echo x > /usr/pwned; } 2>/dev/null && echo WROTE-USR',
        // The workspace root's path exists in the sandbox only on its private /tmp: a write there is lost.
        `{ echo x > ${root}/escaped; } 2>/dev/null`,
        `{ echo x > ${join(other, 'secret.txt')}; } 2>/dev/null`,
        'echo mine > mine.txt && echo WROTE-WS',
        'echo done',
      ].join('; '),
    });
    expect(result.output).toContain('WROTE-WS');
    expect(result.output).toContain('HAS-PASSWD');
    expect(result.output).not.toMatch(/SEES-|WROTE-USR/);
    expect(existsSync(join(root, 'escaped'))).toBe(false);
    expect(readFileSync(join(other, 'secret.txt'), 'utf8')).toBe('theirs');
    expect(readFileSync(join(root, 'harness-session', 'mine.txt'), 'utf8')).toBe('mine\n');
  });

  it('gets a scrubbed environment: no HF_TOKEN even when the worker has one', async () => {
    process.env.HF_TOKEN = 'hf_testsecretvalue';
    try {
      const result = await harness.run(bash(), { command: 'env' });
      expect(result.output).not.toContain('hf_testsecretvalue');
      expect(result.output).not.toContain('HF_TOKEN');
      expect(result.output).toContain(`HOME=${join(root, 'harness-session')}`);
    } finally {
      delete process.env.HF_TOKEN;
    }
  });

  it('has no network: a connect to a local server fails', async () => {
    const server: Server = createServer((socket) => {
      // The probe closes without reading: a reset on this side is expected, not an error of the test.
      socket.on('error', () => undefined);
      socket.end('reached\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const probe = `exec 3<>/dev/tcp/127.0.0.1/${port} && echo CONNECTED || echo REFUSED`;
      // Control: the same probe unsandboxed reaches the server, so REFUSED below means the sandbox.
      const open = bashTools({ workspaceRoot: root, network: false, bwrap: false })[0]!;
      expect((await harness.run(open, { command: probe })).output).toContain('CONNECTED');
      const result = await harness.run(bash(), { command: probe });
      expect(result.output).toContain('REFUSED');
      expect(result.output).not.toContain('CONNECTED');
    } finally {
      server.close();
    }
  });

  it('a timeout kills the command and all its children', async () => {
    const marker = `${Math.floor(Math.random() * 1e6)}.5`;
    const running = harness.run(bash(), {
      command: `sleep ${marker} & sleep ${marker}; wait`,
      timeout: '2s',
    });
    expect(await waitFor(() => pidsWith(`sleep ${marker}`).length === 2)).toBe(true);
    const result = await running;
    expect(result.isError).toBe(true);
    expect(result.output).toContain('Timed out after 2 s');
    expect(await waitFor(() => pidsWith(`sleep ${marker}`).length === 0)).toBe(true);
  });

  it('an interrupt kills the command and all its children', async () => {
    const marker = `${Math.floor(Math.random() * 1e6)}.25`;
    const abort = new AbortController();
    const running = harness.run(bash(), { command: `sleep ${marker} & sleep ${marker}; wait` }, abort.signal);
    expect(await waitFor(() => pidsWith(`sleep ${marker}`).length === 2)).toBe(true);
    abort.abort();
    const result = await running;
    expect(result.isError).toBe(true);
    expect(result.output).toContain('Interrupted');
    expect(await waitFor(() => pidsWith(`sleep ${marker}`).length === 0)).toBe(true);
  });

  it('keeps the head and tail of long output and saves all of it to a file', async () => {
    const logsBefore = harness.logs.length;
    const result = await harness.run(bash(), { command: 'seq 1 100000' });
    expect(result.output.length).toBeLessThan(9_000);
    expect(result.output).toMatch(/^1\n2\n3\n/);
    expect(result.output).toContain('\n100000\n');
    expect(result.output).toContain('characters cut from the middle');
    const saved = /Whole output: (\S+\.log)/.exec(result.output)?.[1];
    expect(saved).toBeDefined();
    expect(saved!.startsWith(join(root, 'harness-session', '.mlib/outputs/'))).toBe(true);
    const whole = readFileSync(saved!, 'utf8');
    expect(whole.split('\n').length).toBe(100_001);
    expect(whole).toContain('\n50000\n');
    // The thread got a few small batches of the newest lines, not 5,000 events of 20 lines.
    const logs = harness.logs.slice(logsBefore);
    expect(logs.length).toBeLessThan(20);
    expect(logs.every((l) => l.split('\n').length <= 21)).toBe(true);
    expect(logs.some((l) => /lines not shown/.test(l))).toBe(true);
    expect(logs.at(-1)).toMatch(/\n100000$/);
  });

  it('kills a hundred children at the timeout', async () => {
    const marker = `${Math.floor(Math.random() * 1e6)}.75`;
    const running = harness.run(bash(), {
      command: `for i in $(seq 100); do sleep ${marker} & done; wait`,
      timeout: '3s',
    });
    expect(await waitFor(() => pidsWith(`sleep ${marker}`).length === 100)).toBe(true);
    const result = await running;
    expect(result.output).toContain('Timed out after 3 s');
    expect(await waitFor(() => pidsWith(`sleep ${marker}`).length === 0)).toBe(true);
  });

  it('stops saving an endless output at its cap and says so', async () => {
    const capped = bashTools({ workspaceRoot: root, network: false, maxSavedChars: 10_000 })[0]!;
    const result = await harness.run(capped, { command: 'yes | head -c 1000000' });
    expect(result.output).toContain('the start of the output is in');
    expect(result.output).toMatch(
      /Saved output \(its first 10,000 of 1,000,000 characters; the rest was not kept\)/,
    );
    const saved = /not kept\): (\S+\.log)/.exec(result.output)?.[1];
    expect(readFileSync(saved!, 'utf8').length).toBe(10_000);
  });

  it('accepts a work_dir inside the workspace and refuses one outside', async () => {
    const inside = await harness.run(bash(), { command: 'pwd', work_dir: 'sub/dir' });
    expect(inside.output).toContain(join(root, 'harness-session', 'sub/dir'));
    await expect(harness.run(bash(), { command: 'pwd', work_dir: '../other-session' })).rejects.toThrow(
      /outside the workspace/,
    );
  });
});

describe('bash without bubblewrap', () => {
  it('asks for approval on every call, saying why, then runs in the workspace with the scrubbed env', async () => {
    const tool = bashTools({ workspaceRoot: root, network: false, bwrap: false })[0]!;
    expect(harness.approval(tool, { command: 'ls' })).toBe(NO_BWRAP_REASON);
    expect(NO_BWRAP_REASON).toContain('bubblewrap (bwrap) is not installed');
    process.env.HF_TOKEN = 'hf_testsecretvalue';
    try {
      const result = await harness.run(tool, { command: 'pwd; env' });
      expect(result.output).toContain(join(root, 'harness-session'));
      expect(result.output).not.toContain('hf_testsecretvalue');
    } finally {
      delete process.env.HF_TOKEN;
    }
  });
});
