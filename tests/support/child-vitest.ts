import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VITEST_BIN = join(createRequire(import.meta.url).resolve('vitest/package.json'), '..', 'vitest.mjs');
const SUPPORT = fileURLToPath(new URL('.', import.meta.url));

/** A throwaway project outside `tests/`: test files and a config using this project's support files. */
export interface ChildProject {
  readonly dir: string;
  /** Writes `<name>.test.ts` (vitest globals are on: no imports needed). */
  file(name: string, source: string): void;
  /** Runs `vitest run` there with exactly `env` (plus PATH and HOME); resolves with what it printed. */
  run(env?: Record<string, string>): Promise<ChildRun>;
  remove(): void;
}

export interface ChildRun {
  code: number | null;
  /** stdout and stderr together, without colours. */
  output: string;
  /** The summary reporter's last line, `Tests: N passed, N failed, N skipped`, if printed. */
  summary: string | undefined;
}

/**
 * A vitest run in a child process over a temporary project, with the real summary reporter and
 * (optionally) the real Redis global setup: how the tests of the test infrastructure see a whole run.
 */
export function childProject(options: { redisSetup: boolean }): ChildProject {
  const dir = mkdtempSync(join(tmpdir(), 'mlib-child-vitest-'));
  const config = {
    test: {
      globals: true,
      include: ['*.test.ts'],
      ...(options.redisSetup ? { globalSetup: [join(SUPPORT, 'redis-global-setup.ts')] } : {}),
      reporters: ['default', join(SUPPORT, 'summary-line-reporter.ts')],
    },
  };
  writeFileSync(join(dir, 'vitest.config.mjs'), `export default ${JSON.stringify(config)};\n`);
  return {
    dir,
    file: (name, source) => writeFileSync(join(dir, `${name}.test.ts`), source),
    run: (env = {}) => runVitest(dir, env),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function runVitest(dir: string, env: Record<string, string>): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    // A clean environment: nothing of this run's REDIS_URL or vitest worker variables leaks in.
    const child = spawn(process.execPath, [VITEST_BIN, 'run', '--config', join(dir, 'vitest.config.mjs')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      // eslint-disable-next-line no-control-regex
      const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
      const summary = plain.match(/^Tests: \d+ passed, \d+ failed, \d+ skipped$/gm)?.at(-1);
      resolve({ code, output: plain, summary });
    });
  });
}
