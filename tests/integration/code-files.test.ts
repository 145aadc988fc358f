import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { fileTools, resolveInWorkspace } from '../../src/tools/code/index.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

const SESSION = 'harness-session';

let root: string;
let workspace: string;
let harness: ToolHarness;
let read: AnyToolSpec;
let write: AnyToolSpec;
let edit: AnyToolSpec;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'code-files-'));
  workspace = path.join(root, SESSION);
  harness = toolHarness();
  const tools = fileTools({ workspaceRoot: root });
  const byName = (name: string): AnyToolSpec => {
    const tool = tools.find((t) => t.name === name);
    if (tool === undefined) throw new Error(`no ${name} tool`);
    return tool;
  };
  [read, write, edit] = [byName('read'), byName('write'), byName('edit')];
});

afterEach(async () => {
  await harness.close();
  await rm(root, { recursive: true, force: true });
});

/** Runs a tool the way the agent does: a throw becomes the call's error text. */
async function call(tool: AnyToolSpec, args: unknown): Promise<{ output: string; failed: boolean }> {
  try {
    const result = await harness.run(tool, args);
    return { output: result.output, failed: result.isError === true };
  } catch (err) {
    return { output: (err as Error).message, failed: true };
  }
}

describe('read', () => {
  it('numbers lines cat -n style and notes the total', async () => {
    await mkdir(workspace, { recursive: true });
    await writeFile(path.join(workspace, 'train.py'), 'import torch\nprint(1)\n');
    const { output, failed } = await call(read, { path: 'train.py' });
    expect(failed).toBe(false);
    expect(output).toBe('     1\timport torch\n     2\tprint(1)\n\n(train.py: 2 lines, all shown)');
  });

  it('reads a window with offset and limit and says how to read on', async () => {
    await mkdir(workspace, { recursive: true });
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
    await writeFile(path.join(workspace, 'log.txt'), lines);
    const { output } = await call(read, { path: 'log.txt', offset: 10, limit: 3 });
    expect(output).toBe(
      '    10\tline 10\n    11\tline 11\n    12\tline 12\n\n(lines 10-12 of 30; read on with offset 13)',
    );
    expect((await call(read, { path: 'log.txt', offset: 31 })).output).toMatch(/past the end.*30 lines/);
  });

  it('shows 2,000 lines by default, cuts long lines and keeps the result under its cap', async () => {
    await mkdir(workspace, { recursive: true });
    const many = Array.from({ length: 2_500 }, (_, i) => String(i + 1)).join('\n');
    await writeFile(path.join(workspace, 'many.txt'), many);
    const { output } = await call(read, { path: 'many.txt' });
    expect(output).toMatch(/\(lines 1-2000 of 2500; read on with offset 2001\)$/);
    expect(output.length).toBeLessThanOrEqual(8_000);
    await writeFile(path.join(workspace, 'wide.txt'), 'x'.repeat(5_000));
    expect((await call(read, { path: 'wide.txt' })).output).toContain('... [line cut]');
  });

  it('says what is wrong with a missing file, a directory and a binary file', async () => {
    await mkdir(path.join(workspace, 'dir'), { recursive: true });
    await writeFile(path.join(workspace, 'blob.bin'), Buffer.from([1, 0, 2]));
    expect((await call(read, { path: 'nope.py' })).output).toBe('File not found: nope.py.');
    expect((await call(read, { path: 'dir' })).output).toMatch(/is a directory.*ls/);
    expect((await call(read, { path: 'blob.bin' })).output).toMatch(/binary/);
  });
});

describe('write', () => {
  it('creates a new file with its parent folders inside the session workspace', async () => {
    const { output, failed } = await call(write, { path: 'src/deep/run.py', content: 'print("hi")\n' });
    expect(failed).toBe(false);
    expect(output).toBe('Created src/deep/run.py (12 bytes).');
    expect(await readFile(path.join(workspace, 'src/deep/run.py'), 'utf8')).toBe('print("hi")\n');
  });

  it('refuses to overwrite an existing file that was not read, then allows it after a read', async () => {
    await mkdir(workspace, { recursive: true });
    await writeFile(path.join(workspace, 'notes.md'), 'keep me');
    const refused = await call(write, { path: 'notes.md', content: 'gone' });
    expect(refused.failed).toBe(true);
    expect(refused.output).toMatch(/must read notes\.md before overwriting it/);
    expect(await readFile(path.join(workspace, 'notes.md'), 'utf8')).toBe('keep me');

    await call(read, { path: 'notes.md' });
    expect((await call(write, { path: 'notes.md', content: 'new' })).output).toBe(
      'Overwrote notes.md (3 bytes).',
    );
    expect(await readFile(path.join(workspace, 'notes.md'), 'utf8')).toBe('new');
  });

  it('writes atomically: the whole content lands and no temp file is left behind', async () => {
    const big = 'y'.repeat(3_000_000);
    await call(write, { path: 'big.txt', content: big });
    expect(await readFile(path.join(workspace, 'big.txt'), 'utf8')).toBe(big);
    expect(await readdir(workspace)).toEqual(['big.txt']);
  });

  it('leaves no temp file and the old content when the write fails', async () => {
    await mkdir(workspace, { recursive: true });
    await writeFile(path.join(workspace, 'afile'), 'x');
    const { output, failed } = await call(write, { path: 'afile/inner.txt', content: 'z' });
    expect(failed).toBe(true);
    expect(output).toMatch(/afile/);
    expect(await readdir(workspace)).toEqual(['afile']);
  });
});

describe('edit', () => {
  it('replaces a unique match in a file that was read', async () => {
    await mkdir(workspace, { recursive: true });
    await writeFile(path.join(workspace, 'cfg.py'), 'lr = 1e-3\nepochs = 3\n');
    await call(read, { path: 'cfg.py' });
    const { output } = await call(edit, { path: 'cfg.py', old_str: 'epochs = 3', new_str: 'epochs = 5' });
    expect(output).toBe('Edited cfg.py (1 replacement).');
    expect(await readFile(path.join(workspace, 'cfg.py'), 'utf8')).toBe('lr = 1e-3\nepochs = 5\n');
  });

  it('refuses a file that was not read, and a match that is not unique', async () => {
    await mkdir(workspace, { recursive: true });
    await writeFile(path.join(workspace, 'a.py'), 'x = 1\nx = 1\n');
    expect((await call(edit, { path: 'a.py', old_str: 'x = 1', new_str: 'x = 2' })).output).toMatch(
      /must read a\.py before editing it/,
    );
    await call(read, { path: 'a.py' });
    expect((await call(edit, { path: 'a.py', old_str: 'x = 1', new_str: 'x = 2' })).output).toMatch(
      /occurs 2 times/,
    );
    const all = await call(edit, { path: 'a.py', old_str: 'x = 1', new_str: 'x = 2', replace_all: true });
    expect(all.output).toBe('Edited a.py (2 replacements).');
    expect(await readFile(path.join(workspace, 'a.py'), 'utf8')).toBe('x = 2\nx = 2\n');
  });

  it('inserts with append_after and falls back when only whitespace differs', async () => {
    await mkdir(workspace, { recursive: true });
    await writeFile(path.join(workspace, 'm.py'), 'def main():  \n    run()\n');
    await call(read, { path: 'm.py' });
    const fuzzy = await call(edit, {
      path: 'm.py',
      old_str: 'def main():\n',
      new_str: '    setup()\n',
      mode: 'append_after',
    });
    expect(fuzzy.output).toMatch(
      /Edited m\.py \(1 replacement\) \(old_str matched only when ignoring trailing whitespace/,
    );
    expect(await readFile(path.join(workspace, 'm.py'), 'utf8')).toBe(
      'def main():  \n    setup()\n    run()\n',
    );
  });

  it('needs no approval for read, write or edit', () => {
    expect(harness.approval(read, { path: 'a' })).toBeUndefined();
    expect(harness.approval(write, { path: 'a', content: '' })).toBeUndefined();
    expect(harness.approval(edit, { path: 'a', old_str: 'a', new_str: 'b' })).toBeUndefined();
    expect([read.sideEffects, write.sideEffects, edit.sideEffects]).toEqual([false, true, true]);
  });
});

describe('the workspace boundary', () => {
  it('refuses .. into another session, absolute paths outside, and symlinks out', async () => {
    await mkdir(path.join(root, 'other-session'), { recursive: true });
    await writeFile(path.join(root, 'other-session', 'x'), 'secret');
    await mkdir(workspace, { recursive: true });
    await symlink('/etc', path.join(workspace, 'etc-link'));
    await symlink('/etc/hostname', path.join(workspace, 'host-link'));
    await symlink(path.join(root, 'other-session', 'missing'), path.join(workspace, 'dangling'));

    const attempts: Array<[AnyToolSpec, Record<string, unknown>]> = [
      [read, { path: '../other-session/x' }],
      [read, { path: path.join(root, 'other-session', 'x') }],
      [read, { path: '/etc/passwd' }],
      [read, { path: 'etc-link/passwd' }],
      [read, { path: 'host-link' }],
      [write, { path: '../other-session/y', content: 'z' }],
      [write, { path: 'etc-link/new-file', content: 'z' }],
      [write, { path: 'dangling', content: 'z' }],
      [edit, { path: 'sub/../../other-session/x', old_str: 'secret', new_str: 'z' }],
    ];
    for (const [tool, args] of attempts) {
      const { output, failed } = await call(tool, args);
      expect(failed, `${tool.name} ${JSON.stringify(args)}`).toBe(true);
      expect(output).toMatch(/outside this session's workspace|symlink that points nowhere/);
    }
    expect(await readdir(path.join(root, 'other-session'))).toEqual(['x']);
    expect(await readFile(path.join(root, 'other-session', 'x'), 'utf8')).toBe('secret');
  });

  it('accepts an absolute path inside the workspace and a symlink that stays inside', async () => {
    await mkdir(path.join(workspace, 'data'), { recursive: true });
    await writeFile(path.join(workspace, 'data', 'a.txt'), 'inside');
    await symlink(path.join(workspace, 'data'), path.join(workspace, 'data-link'));
    expect((await call(read, { path: path.join(workspace, 'data', 'a.txt') })).output).toMatch(/1\tinside/);
    expect((await call(read, { path: 'data-link/a.txt' })).output).toMatch(/1\tinside/);
    await expect(resolveInWorkspace(root, SESSION, '.')).resolves.toBe(workspace);
  });

  it('gives a session id that looks like a path its own single folder', async () => {
    const resolved = await resolveInWorkspace(root, '../evil', 'f.txt');
    expect(path.dirname(resolved)).toBe(path.join(root, '..%2Fevil'));
    await expect(resolveInWorkspace(root, '..', 'f.txt')).rejects.toThrow(/cannot name a workspace/);
  });
});
