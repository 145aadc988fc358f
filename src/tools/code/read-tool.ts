import path from 'node:path';
import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import type { FileStore } from './file-store.js';
import { markRead } from './read-tracking.js';

export const DEFAULT_READ_LINES = 2_000;
export const MAX_LINE_CHARS = 4_000;

const description = (where: string): string =>
  [
    `Reads a file from ${where}. Returns contents with line numbers (cat -n format).`,
    '',
    'Usage:',
    `- By default, reads up to ${DEFAULT_READ_LINES} lines from the beginning of the file.`,
    '- You can optionally specify offset and limit for large files, but prefer reading the whole file first.',
    `- Lines longer than ${MAX_LINE_CHARS} chars are truncated.`,
    "- Cannot read directories: use bash with 'ls' instead.",
    '- Paths are relative to the workspace; paths outside it are refused.',
    '- IMPORTANT: Always read a file before editing or overwriting it. The edit and write tools will reject operations on files you have not read.',
  ].join('\n');

const parameters = z.object({
  path: z.string().describe('The file to read, relative to the workspace (or absolute inside it).'),
  offset: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'The line number to start reading from (1-based). Only provide if the file is too large to read at once.',
    ),
  limit: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The number of lines to read. Only provide if the file is too large to read at once.'),
});

/** `read`: numbered lines of a workspace file; marks it read so write and edit may change it. */
export function readTool(store: FileStore, where = "your session's workspace"): AnyToolSpec {
  return defineTool({
    name: 'read',
    description: description(where),
    parameters,
    sideEffects: false,
    readOnly: true,
    // The workspace is the session's own: nothing here touches anyone else's files.
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const ref = await store.locate(ctx, args.path);
      const kind = await store.kind(ctx, ref);
      if (kind === undefined) throw new ToolInputError(`File not found: ${ref.shown}.`);
      if (kind === 'dir')
        throw new ToolInputError(`${ref.shown} is a directory. Use bash with 'ls' to list it.`);
      const bytes = await store.read(ctx, ref, 'reading');
      if (bytes.subarray(0, 8_192).includes(0)) {
        throw new ToolInputError(`${ref.shown} looks like a binary file; read shows text only.`);
      }
      await markRead(ctx.state, ref.key);
      return { output: numberedLines(bytes.toString('utf8'), ref.shown, args.offset, args.limit) };
    },
  });
}

/** cat -n style: the line number right-aligned in 6 columns, a tab, the line (cut when too long). */
export function numberedLines(text: string, shown: string, offset = 1, limit = DEFAULT_READ_LINES): string {
  if (text === '') return `(${shown} is empty)`;
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const total = lines.length;
  if (offset > total) {
    throw new ToolInputError(`offset ${offset} is past the end of ${shown}, which has ${total} lines.`);
  }
  const selected = lines.slice(offset - 1, offset - 1 + limit);
  const body = selected
    .map((line, i) => {
      const cut = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}... [line cut]` : line;
      return `${String(offset + i).padStart(6)}\t${cut}`;
    })
    .join('\n');
  const last = offset + selected.length - 1;
  const note =
    offset === 1 && last === total
      ? `\n\n(${path.basename(shown)}: ${total} lines, all shown)`
      : `\n\n(lines ${offset}-${last} of ${total}${last < total ? `; read on with offset ${last + 1}` : ''})`;
  return trimOutput(body + note, undefined, 'read a narrower range with offset and limit');
}
