import path from 'node:path';
import type { AnyToolSpec } from '../../core/tool-spec.js';
import type { FileToolOptions } from './code-files-options.js';
import { editTool } from './edit-tool.js';
import { localFileStore } from './local-file-store.js';
import { readTool } from './read-tool.js';
import { DEFAULT_WORKSPACE_ROOT } from './workspace.js';
import { writeTool } from './write-tool.js';

export type { FileToolOptions } from './code-files-options.js';
export { DEFAULT_WORKSPACE_ROOT, resolveInWorkspace, sessionWorkspace } from './workspace.js';

/**
 * The reference agent's file tools, `read`, `write` and `edit`, confined to each session's own
 * workspace `<workspaceRoot>/<sessionId>`. None asks for approval: the workspace is the session's.
 */
export function fileTools(options: FileToolOptions = {}): AnyToolSpec[] {
  const root = path.resolve(options.workspaceRoot ?? DEFAULT_WORKSPACE_ROOT);
  const store = localFileStore(root);
  return [readTool(store), writeTool(store), editTool(store)];
}
