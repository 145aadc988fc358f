import type { AnyToolSpec } from '../../core/tool-spec.js';
import { bashTool, detectBwrap } from './bash-tool.js';

/**
 * The `bash` tool of code.runtime `local`. `bwrap` defaults to what `bwrap --version` finds on PATH;
 * pass false to run unsandboxed (every call then asks for approval).
 */
export function bashTools(options: {
  workspaceRoot: string;
  network: boolean;
  bwrap?: string | false;
  maxSavedChars?: number;
}): AnyToolSpec[] {
  return [
    bashTool({
      workspaceRoot: options.workspaceRoot,
      network: options.network,
      bwrap: options.bwrap ?? detectBwrap(),
      ...(options.maxSavedChars !== undefined ? { maxSavedChars: options.maxSavedChars } : {}),
    }),
  ];
}
