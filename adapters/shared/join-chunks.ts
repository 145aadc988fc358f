import type { AgentEvent } from '../../src/core/events.js';
import type { StoredEvent } from '../../src/core/agent-gateway.js';

/**
 * A batch's events with each run of adjacent `assistant_chunk`s joined into one: the same text,
 * shown at once. An answer that arrives whole in one batch is then posted once, not posted with
 * its first chunk and edited at its end.
 */
export function joinChunks(events: readonly StoredEvent[]): AgentEvent[] {
  const joined: AgentEvent[] = [];
  for (const { event } of events) {
    const last = joined.at(-1);
    if (event.type === 'assistant_chunk' && last?.type === 'assistant_chunk')
      joined[joined.length - 1] = { ...last, text: last.text + event.text };
    else joined.push(event);
  }
  return joined;
}
