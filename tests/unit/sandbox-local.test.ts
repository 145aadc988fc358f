import { describe, expect, it } from 'vitest';
import { bwrapArgs, type SandboxSpec } from '../../src/tools/code/sandbox-local.js';

const spec: SandboxSpec = {
  workspace: '/data/ws/s1',
  cwd: '/data/ws/s1/src',
  network: false,
  command: 'echo hi',
  env: { PATH: '/usr/bin:/bin', HOME: '/data/ws/s1', LANG: 'C.UTF-8', TERM: 'dumb' },
  systemDirs: [{ path: '/usr' }, { path: '/bin', symlinkTo: 'usr/bin' }, { path: '/etc' }],
};

/** The pairs following each occurrence of a flag. */
function after(args: string[], flag: string, count: number): string[][] {
  return args.flatMap((a, i) => (a === flag ? [args.slice(i + 1, i + 1 + count)] : []));
}

describe('bwrapArgs', () => {
  it('shares nothing, dies with the worker and gets its own session', () => {
    const args = bwrapArgs(spec);
    expect(args).toEqual(expect.arrayContaining(['--unshare-all', '--die-with-parent', '--new-session']));
    expect(args).not.toContain('--share-net');
  });

  it('adds --share-net only when the network is on', () => {
    expect(bwrapArgs({ ...spec, network: true })).toContain('--share-net');
  });

  it('binds system folders read-only, recreates symlinks, and the workspace is the only writable bind', () => {
    const args = bwrapArgs(spec);
    expect(after(args, '--ro-bind', 2)).toEqual([
      ['/usr', '/usr'],
      ['/etc', '/etc'],
    ]);
    expect(after(args, '--symlink', 2)).toEqual([['usr/bin', '/bin']]);
    expect(after(args, '--bind', 2)).toEqual([['/data/ws/s1', '/data/ws/s1']]);
    expect(after(args, '--chdir', 1)).toEqual([['/data/ws/s1/src']]);
    expect(after(args, '--proc', 1)).toEqual([['/proc']]);
    expect(after(args, '--dev', 1)).toEqual([['/dev']]);
    expect(after(args, '--tmpfs', 1)).toEqual([['/tmp']]);
    // No home, no /root, nothing else mounted.
    expect(args.some((a) => a.startsWith('/home') || a.startsWith('/root') || a === '/work')).toBe(false);
  });

  it('clears the environment and sets only the given variables', () => {
    const args = bwrapArgs(spec);
    const clear = args.indexOf('--clearenv');
    expect(clear).toBeGreaterThan(-1);
    const set = after(args, '--setenv', 2);
    expect(set).toEqual([
      ['PATH', '/usr/bin:/bin'],
      ['HOME', '/data/ws/s1'],
      ['LANG', 'C.UTF-8'],
      ['TERM', 'dumb'],
    ]);
    expect(args.indexOf('--setenv')).toBeGreaterThan(clear);
  });

  it('ends with the command as one argument to bash -c, after --', () => {
    const args = bwrapArgs({ ...spec, command: 'echo "a b"; --bind / /' });
    expect(args.slice(-4)).toEqual(['--', '/bin/bash', '-c', 'echo "a b"; --bind / /']);
  });
});
