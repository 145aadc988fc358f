import { readFile, stat } from 'node:fs/promises';
import { atomicWrite } from './atomic-write.js';
import { fileError } from './file-errors.js';
import type { FileRef, FileStore } from './file-store.js';
import { locate } from './workspace.js';

/** Files in `<root>/<sessionId>` on the worker; paths outside it are refused (see workspace.ts). */
export function localFileStore(root: string): FileStore {
  // The ref's key is the real absolute path, which is also where the file is.
  return {
    async locate(ctx, requested): Promise<FileRef> {
      const { absolute, shown } = await locate(root, ctx.sessionId, requested);
      return { key: absolute, shown };
    },
    async kind(_ctx, ref) {
      const info = await stat(ref.key).catch(() => undefined);
      if (info === undefined) return undefined;
      return info.isDirectory() ? 'dir' : 'file';
    },
    async read(_ctx, ref, doing) {
      try {
        return await readFile(ref.key);
      } catch (err) {
        throw fileError(err, ref.shown, doing);
      }
    },
    async write(_ctx, ref, content) {
      try {
        await atomicWrite(ref.key, content);
      } catch (err) {
        throw fileError(err, ref.shown, 'writing');
      }
    },
  };
}
