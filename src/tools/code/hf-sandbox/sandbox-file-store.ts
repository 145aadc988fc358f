import path from 'node:path/posix';
import type { ToolContext } from '../../../core/tool-spec.js';
import { ToolInputError } from '../../shared/service-error.js';
import type { FileRef, FileStore } from '../file-store.js';
import type { SandboxClient } from './sandbox-client.js';
import { SandboxError } from './sandbox-errors.js';
import { runToExit } from './sandbox-exec.js';
import { SANDBOX_WORKSPACE, type SandboxManager } from './sandbox-manager.js';

/**
 * Files in the session's HF sandbox, through `/v1/files/*`. The sandbox is the session's own
 * machine, so any path in it is allowed; relative paths resolve in `/workspace`. A file is known to
 * read-tracking by its job and path, so a replaced sandbox's files must be read again.
 */
export function sandboxFileStore(manager: SandboxManager): FileStore {
  const located = new WeakMap<FileRef, { client: SandboxClient; path: string }>();
  const at = (ref: FileRef): { client: SandboxClient; path: string } => {
    const found = located.get(ref);
    if (!found) throw new Error('a file ref of another store');
    return found;
  };
  return {
    async locate(ctx, requested) {
      const target = sandboxPath(requested);
      const { client, record } = await manager.ensure(ctx);
      const ref = { key: `sandbox:${record.jobId}:${target}`, shown: shownPath(target) };
      located.set(ref, { client, path: target });
      return ref;
    },
    async kind(ctx, ref) {
      const { client, path: target } = at(ref);
      const entry = await client.stat(target, ctx.signal);
      if (entry === undefined) return undefined;
      return entry.type === 'dir' ? 'dir' : 'file';
    },
    async read(ctx, ref, doing) {
      const { client, path: target } = at(ref);
      try {
        return await client.read(target, ctx.signal);
      } catch (err) {
        throw fileFailure(err, ref.shown, doing);
      }
    },
    async write(ctx, ref, content) {
      const { client, path: target } = at(ref);
      await atomicSandboxWrite(ctx, client, target, content).catch((err: unknown) => {
        throw fileFailure(err, ref.shown, 'writing');
      });
    },
  };
}

/** `requested` as an absolute sandbox path (relative ones in the workspace), `..` resolved. */
export function sandboxPath(requested: string, base = SANDBOX_WORKSPACE): string {
  if (requested.trim() === '' || requested.includes('\0')) {
    throw new ToolInputError('Give a file path (relative to /workspace, or absolute in the sandbox).');
  }
  return path.resolve(base, requested);
}

/** Workspace files by their relative path (as the local runtime shows them); others in full. */
export function shownPath(target: string): string {
  const relative = path.relative(SANDBOX_WORKSPACE, target);
  return relative === '' ? '.' : relative.startsWith('..') ? target : relative;
}

/**
 * As the local `atomicWrite`: a temp file beside the target (with the target's mode), renamed over
 * it with `mv` in the sandbox, so the file is never half written.
 */
async function atomicSandboxWrite(
  ctx: ToolContext,
  client: SandboxClient,
  target: string,
  content: string,
): Promise<void> {
  const existing = await client.stat(target, ctx.signal);
  const temp = `.${path.basename(target)}.${Math.random().toString(16).slice(2, 10)}.tmp`;
  const dir = path.dirname(target);
  await client.write(
    path.join(dir, temp),
    content,
    ctx.signal,
    existing?.mode ? { mode: existing.mode } : {},
  );
  const moved = await runToExit(
    client,
    { cmd: ['mv', '-f', '--', temp, path.basename(target)], shell: false, cwd: dir, timeout: 60 },
    ctx.signal,
  );
  if (moved.exitCode !== 0) {
    throw new SandboxError(
      'sandbox_failed',
      `the rename into place failed (${moved.output.trim().slice(0, 200)})`,
    );
  }
}

function fileFailure(err: unknown, shown: string, doing: string): Error {
  if (err instanceof ToolInputError || !(err instanceof SandboxError)) return err as Error;
  if (err.status === 404) return new ToolInputError(`File not found: ${shown}.`);
  if (err.status === 409)
    return new ToolInputError(`${shown} is a directory. Use bash with 'ls' to list it.`);
  if (err.status === 400) return new ToolInputError(`Could not finish ${doing} ${shown}: ${err.message}`);
  return err;
}
