import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import type { FileStore } from './file-store.js';
import { markRead, wasRead } from './read-tracking.js';

const description = (where: string): string =>
  [
    `Writes a file in ${where}. Overwrites the existing file if one exists at the path.`,
    '',
    '- If this is an existing file, you MUST use the read tool first. This tool will fail if you did not read the file first.',
    '- ALWAYS prefer editing existing files with the edit tool over overwriting with write.',
    '- Creates parent directories as needed. The write is atomic: the file is never left half written.',
    '- Paths are relative to the workspace; paths outside it are refused.',
  ].join('\n');

const parameters = z.object({
  path: z.string().describe('The file to write, relative to the workspace (or absolute inside it).'),
  content: z.string().describe('The complete file content to write.'),
});

/** `write`: a whole file, atomically; an existing file must have been read in this session first. */
export function writeTool(store: FileStore, where = "your session's workspace"): AnyToolSpec {
  return defineTool({
    name: 'write',
    description: description(where),
    parameters,
    // Not idempotent once other calls have changed the file: never replay after a crash.
    sideEffects: true,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const ref = await store.locate(ctx, args.path);
      const { shown } = ref;
      const existing = await store.kind(ctx, ref);
      if (existing === 'dir') {
        throw new ToolInputError(`${shown} is a directory; give a file path.`);
      }
      if (existing !== undefined && !(await wasRead(ctx.state, ref.key))) {
        throw new ToolInputError(
          `You must read ${shown} before overwriting it. Use the read tool first to see its current contents (or edit for a small change).`,
        );
      }
      await store.write(ctx, ref, args.content);
      await markRead(ctx.state, ref.key);
      const bytes = Buffer.byteLength(args.content, 'utf8');
      const verb = existing === undefined ? 'Created' : 'Overwrote';
      return { output: `${verb} ${shown} (${bytes.toLocaleString('en')} bytes).` };
    },
  });
}
