import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
