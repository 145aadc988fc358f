/**
 * The bubblewrap command line for one `bash` call: a pure function, so what the sandbox exposes can
 * be read (and tested) without running anything.
 */

/** A top-level system folder as the host has it: a real folder, or a symlink (`/bin -> usr/bin`). */
export interface SystemDir {
  path: string;
  /** The link's target when the host's folder is a symlink (merged /usr): recreated, not bound. */
  symlinkTo?: string;
}

export interface SandboxSpec {
  /** Absolute path of the session's workspace: the only writable folder, and the working folder's root. */
  workspace: string;
  /** Absolute working folder inside the workspace. */
  cwd: string;
  network: boolean;
  command: string;
  /** The scrubbed environment (PATH, HOME, LANG, TERM). */
  env: Record<string, string>;
  systemDirs: readonly SystemDir[];
}

/**
 * What the sandbox shows read-only: programs and libraries, and of /etc only what programs need to
 * run, resolve names and check certificates — not the whole folder, whose shadow file, SSH host keys
 * and service configs a worker running as root could otherwise read.
 */
export const SYSTEM_DIR_PATHS = [
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/etc/alternatives',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/resolv.conf',
  '/etc/hosts',
  '/etc/nsswitch.conf',
  '/etc/passwd',
  '/etc/group',
  '/etc/localtime',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/mime.types',
  '/etc/protocols',
  '/etc/services',
  '/etc/os-release',
] as const;

/** bwrap's arguments (without the `bwrap` program itself). */
export function bwrapArgs(spec: SandboxSpec): string[] {
  const args = [
    // Every namespace private: no network, no other processes, no IPC; the host's uid maps to itself.
    '--unshare-all',
    ...(spec.network ? ['--share-net'] : []),
    // The sandbox dies with the worker, and cannot reach the worker's terminal (TIOCSTI).
    '--die-with-parent',
    '--new-session',
  ];
  for (const dir of spec.systemDirs) {
    if (dir.symlinkTo !== undefined) args.push('--symlink', dir.symlinkTo, dir.path);
    else args.push('--ro-bind', dir.path, dir.path);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  args.push('--bind', spec.workspace, spec.workspace, '--chdir', spec.cwd);
  // No variable of the worker leaks in (tokens, keys): only the ones given.
  args.push('--clearenv');
  for (const [name, value] of Object.entries(spec.env)) args.push('--setenv', name, value);
  args.push('--', '/bin/bash', '-c', spec.command);
  return args;
}
