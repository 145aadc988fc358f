import type { AnyToolSpec } from '../core/tool-spec.js';

export interface ApprovalSettings {
  /** Approve everything without asking (config `approval.yolo`, or a session's `--yes`). */
  yolo: boolean;
  /** Tool names that always ask, on top of each tool's own policy (config `approval.require`). */
  require: readonly string[];
}

/**
 * Decides whether a call waits for a human. Returns the reason shown on the approval card, or
 * `undefined` when the call may run now.
 */
export function approvalReason(
  spec: AnyToolSpec,
  args: unknown,
  sessionId: string,
  settings: ApprovalSettings,
): string | undefined {
  if (settings.yolo) return undefined;
  if (settings.require.includes(spec.name)) return 'this tool always asks (approval.require)';
  return spec.needsApproval(args, { sessionId });
}
