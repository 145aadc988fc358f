import type { StoredEvent } from '../../src/core/agent-gateway.js';
import type { AgentEvent, OperationOutcome, PendingCallSummary } from '../../src/core/events.js';

/** How one submitted operation ended. */
export interface OperationEnd {
  outcome: OperationOutcome;
  /** The calls the operation waits on when `outcome` is `awaiting_approval` (from its `approval_required`). */
  pending: readonly PendingCallSummary[];
}

/**
 * Hands every event to `onEvent`, in order, until the `operation_complete` of operation `opId` (the
 * envelope id `submit` returned): the runtime emits it as the last event of every operation, so a
 * client never has to guess the end from the other events. Another operation's end (submitted by
 * someone else) is rendered and passed over. `undefined` when the events stop first (the follower
 * was stopped).
 */
export async function untilOperationEnds(
  events: AsyncIterator<StoredEvent>,
  opId: string,
  onEvent: (event: AgentEvent) => void,
): Promise<OperationEnd | undefined> {
  let pending: readonly PendingCallSummary[] = [];
  for (;;) {
    const next = await events.next();
    if (next.done) return undefined;
    const { event } = next.value;
    onEvent(event);
    if (event.type === 'approval_required') pending = event.calls;
    if (event.type === 'operation_complete' && event.opId === opId) {
      return { outcome: event.outcome, pending: event.outcome === 'awaiting_approval' ? pending : [] };
    }
  }
}
