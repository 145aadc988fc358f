import { ToolInputError } from '../shared/service-error.js';

/** Turns a file-system failure into a message for the model (no stack, the workspace-relative path). */
export function fileError(err: unknown, shown: string, doing: string): Error {
  if (err instanceof ToolInputError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new ToolInputError(`File not found: ${shown}.`);
    case 'EISDIR':
      return new ToolInputError(`${shown} is a directory. Use bash with 'ls' to list it.`);
    case 'ENOTDIR':
      return new ToolInputError(`A part of ${shown} is a file, not a directory.`);
    case 'EACCES':
    case 'EPERM':
      return new ToolInputError(`Permission denied while ${doing} ${shown}.`);
    default:
      return new ToolInputError(`Could not finish ${doing} ${shown} (${code ?? 'unknown error'}).`);
  }
}
