import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import { atomicWrite } from './atomic-write.js';
import { fileError } from './file-errors.js';
import { wasRead } from './read-tracking.js';
import { applyEdit } from './text-edit.js';
import { locate } from './workspace.js';

const DESCRIPTION = [
  'Performs string replacements in a file of your workspace. Exact matching, with a careful fallback when only whitespace differs.',
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
export function editTool(root: string): AnyToolSpec {
  return defineTool({
    name: 'edit',
    description: DESCRIPTION,
    parameters,
    sideEffects: true,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const { absolute, shown } = await locate(root, ctx.sessionId, args.path);
      const info = await stat(absolute).catch((err: unknown) => {
        throw fileError(err, shown, 'editing');
      });
      if (info.isDirectory()) throw new ToolInputError(`${shown} is a directory; give a file path.`);
      if (!(await wasRead(ctx.state, absolute))) {
        throw new ToolInputError(
          `You must read ${shown} before editing it. Use the read tool first to see its current contents.`,
        );
      }
      let text: string;
      try {
        text = await readFile(absolute, 'utf8');
      } catch (err) {
        throw fileError(err, shown, 'editing');
      }
      const outcome = applyEdit(text, {
        oldStr: args.old_str,
        newStr: args.new_str,
        ...(args.mode === undefined ? {} : { mode: args.mode }),
        ...(args.replace_all === undefined ? {} : { replaceAll: args.replace_all }),
      });
      try {
        await atomicWrite(absolute, outcome.text);
      } catch (err) {
        throw fileError(err, shown, 'writing');
      }
      const n = outcome.replacements;
      const done = `Edited ${shown} (${n} ${n === 1 ? 'replacement' : 'replacements'})`;
      return { output: trimOutput(outcome.note === undefined ? `${done}.` : `${done} ${outcome.note}.`) };
    },
  });
}
