import type { AgentEvent } from '../../src/core/events.js';
import type { OperationType } from '../../src/core/operations.js';

/** The error the loop emits before its `turn_complete { reason: 'max_iterations' }`: a notice, not an end. */
const NOTICE_ERROR_CODES: ReadonlySet<string> = new Set(['max_iterations']);

/**
 * Whether `event` is the last one a client waits for after submitting an operation of `opType`.
 * Turns end with `turn_complete`, pause with `approval_required`, or stop with `interrupted`; an
 * `error` ends any operation (no `turn_complete` follows it) except the max-iterations notice.
 * The runtime emits no "operation done" event, so this mirrors what each operation emits last.
 */
export function endsOperation(opType: OperationType, event: AgentEvent): boolean {
  if (event.type === 'error') return !NOTICE_ERROR_CODES.has(event.code);
  switch (opType) {
    case 'user_input':
    case 'exec_approval':
      return (
        event.type === 'turn_complete' || event.type === 'approval_required' || event.type === 'interrupted'
      );
    case 'undo':
      return event.type === 'undo_complete';
    case 'compact':
      return event.type === 'compacted' || event.type === 'interrupted';
    case 'new':
    case 'shutdown':
      return event.type === 'shutdown';
    case 'interrupt':
      return event.type === 'interrupted';
  }
}
