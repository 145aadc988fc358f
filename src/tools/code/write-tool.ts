import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import { atomicWrite } from './atomic-write.js';
import { fileError } from './file-errors.js';
import { markRead, wasRead } from './read-tracking.js';
import { locate } from './workspace.js';

const DESCRIPTION = [
  "Writes a file in your session's workspace. Overwrites the existing file if one exists at the path.",
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
export function writeTool(root: string): AnyToolSpec {
  return defineTool({
    name: 'write',
    description: DESCRIPTION,
    parameters,
    // Not idempotent once other calls have changed the file: never replay after a crash.
    sideEffects: true,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const { absolute, shown } = await locate(root, ctx.sessionId, args.path);
      const existing = await stat(absolute).catch(() => undefined);
      if (existing?.isDirectory() === true) {
        throw new ToolInputError(`${shown} is a directory; give a file path.`);
      }
      if (existing !== undefined && !(await wasRead(ctx.state, absolute))) {
        throw new ToolInputError(
          `You must read ${shown} before overwriting it. Use the read tool first to see its current contents (or edit for a small change).`,
        );
      }
      try {
        await atomicWrite(absolute, args.content);
      } catch (err) {
        throw fileError(err, shown, 'writing');
      }
      await markRead(ctx.state, absolute);
      const bytes = Buffer.byteLength(args.content, 'utf8');
      const verb = existing === undefined ? 'Created' : 'Overwrote';
      return { output: `${verb} ${shown} (${bytes.toLocaleString('en')} bytes).` };
    },
  });
}
