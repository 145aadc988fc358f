import type { EventReader, StoredEvent } from '../src/core/agent-gateway.js';
import type { AgentEvent } from '../src/core/events.js';

/**
 * Blocks on a session's stream (XREAD BLOCK on the reader's own connection) from `afterId` until an
 * event matches; returns it with its stream id. Throws after `timeoutMs`.
 */
export async function waitForEvent(
  reader: EventReader,
  sessionId: string,
  afterId: string,
  match: (event: AgentEvent) => boolean,
  timeoutMs: number,
): Promise<StoredEvent> {
  const deadline = Date.now() + timeoutMs;
  let cursor = afterId;
  const seen: string[] = [];
  while (Date.now() < deadline) {
    const batch = await reader.read(sessionId, cursor, Math.max(1, Math.min(1_000, deadline - Date.now())));
    for (const stored of batch) {
      cursor = stored.streamId;
      seen.push(stored.event.type);
      if (match(stored.event)) return stored;
    }
  }
  throw new Error(
    `session ${sessionId}: no matching event within ${timeoutMs} ms (saw ${seen.join(', ') || 'nothing'})`,
  );
}
