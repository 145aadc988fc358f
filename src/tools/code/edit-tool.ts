import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import type { FileStore } from './file-store.js';
import { wasRead } from './read-tracking.js';
import { applyEdit } from './text-edit.js';

const description = (where: string): string =>
  [
    `Performs string replacements in a file of ${where}. Exact matching, with a careful fallback when only whitespace differs.`,
    '',
    'Usage:',
    '- You must read the file at least once before editing. This tool will error if you attempt an edit without reading the file.',
    '- The edit will FAIL if old_str is not unique in the file. Either provide a larger string with more surrounding context to make it unique, or set replace_all to true.',
    '- old_str and new_str must differ.',
    '- Preserve indentation exactly as it appears in the file.',
    '- Do NOT include line number prefixes from read output in old_str or new_str.',
    '- To delete code, set new_str to an empty string.',
    '- Use replace_all for renaming variables or strings across the file.',
    '',
    'Modes:',
    '- replace (default): replace old_str with new_str.',
    '- append_after: insert new_str immediately after old_str (old_str is kept).',
    '- prepend_before: insert new_str immediately before old_str (old_str is kept).',
  ].join('\n');

const parameters = z.object({
  path: z.string().describe('The file to edit, relative to the workspace (or absolute inside it).'),
  old_str: z
    .string()
    .describe(
      'The text to find in the file. Must match exactly (a whitespace-tolerant match is the fallback).',
    ),
  new_str: z
    .string()
    .describe('The replacement text. For append_after/prepend_before modes, the text to insert.'),
  replace_all: z.boolean().optional().describe('Replace all occurrences of old_str (default: false).'),
  mode: z
    .enum(['replace', 'append_after', 'prepend_before'])
    .optional()
    .describe('Edit mode (default: replace).'),
});

/** `edit`: an exact, unique replacement (or insertion) in a file read earlier in this session. */
export function editTool(store: FileStore, where = 'your workspace'): AnyToolSpec {
  return defineTool({
    name: 'edit',
    description: description(where),
    parameters,
    sideEffects: true,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const ref = await store.locate(ctx, args.path);
      const { shown } = ref;
      const kind = await store.kind(ctx, ref);
      if (kind === undefined) throw new ToolInputError(`File not found: ${shown}.`);
      if (kind === 'dir') throw new ToolInputError(`${shown} is a directory; give a file path.`);
      if (!(await wasRead(ctx.state, ref.key))) {
        throw new ToolInputError(
          `You must read ${shown} before editing it. Use the read tool first to see its current contents.`,
        );
      }
      const text = (await store.read(ctx, ref, 'editing')).toString('utf8');
      const outcome = applyEdit(text, {
        oldStr: args.old_str,
        newStr: args.new_str,
        ...(args.mode === undefined ? {} : { mode: args.mode }),
        ...(args.replace_all === undefined ? {} : { replaceAll: args.replace_all }),
      });
      await store.write(ctx, ref, outcome.text);
      const n = outcome.replacements;
      const done = `Edited ${shown} (${n} ${n === 1 ? 'replacement' : 'replacements'})`;
      return { output: trimOutput(outcome.note === undefined ? `${done}.` : `${done} ${outcome.note}.`) };
    },
  });
}
