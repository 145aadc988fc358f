import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '../core/messages.js';
import type { OperationEnvelope } from '../core/operations.js';
import type { OperationOutcome } from '../core/events.js';
import type { SessionRecord } from '../store/session-store.js';
import { emitEvent, type AgentDeps } from './agent-deps.js';
import { lastUserTurnIndex } from './history-queries.js';

/** The operations that are not turns (`undo`, `new`), and the small steps every operation shares. */

export async function undo(
  deps: AgentDeps,
  session: SessionRecord,
  history: readonly ChatMessage[],
): Promise<'done'> {
  const index = lastUserTurnIndex(history);
  const kept = index < 0 ? history : history.slice(0, index);
  await deps.history.replace(session.id, kept);
  await deps.toolCalls.clearPending(session.id);
  await emitEvent(deps, session.id, { type: 'undo_complete', removed: history.length - kept.length });
  await idle(deps, session.id);
  return 'done';
}

/** `new`: a fresh session takes over the thread; the old one ends and points to it. */
export async function startFresh(deps: AgentDeps, session: SessionRecord): Promise<'ended'> {
  const id = randomUUID();
  await deps.sessions.create({
    id,
    model: session.model,
    owner: session.owner,
    platform: session.platform,
    channel: session.channel,
    thread: session.thread,
    // Command-line overrides (`--max-iterations`, `--no-stream`, `--yes`) carry over to the new session.
    ...(session.maxIterations !== undefined ? { maxIterations: session.maxIterations } : {}),
    ...(session.stream !== undefined ? { stream: session.stream === '1' } : {}),
    ...(session.yolo !== undefined ? { yolo: session.yolo === '1' } : {}),
  });
  await emitEvent(deps, id, { type: 'ready' });
  if (session.thread) {
    // The thread index is outside the session's hash slot: check the fence just before.
    await deps.sessions.assertHeld();
    await deps.threads.set(
      { platform: session.platform, channel: session.channel, thread: session.thread },
      id,
    );
  }
  await deps.sessions.update(session.id, { status: 'ended', replacedBy: id });
  await emitEvent(deps, session.id, { type: 'shutdown', replacedBy: id });
  return 'ended';
}

/** The history ends with the model's final answer (no tool calls): the turn is over. */
export function answered(history: readonly ChatMessage[]): boolean {
  const last = history.at(-1);
  return last?.role === 'assistant' && (last.toolCalls?.length ?? 0) === 0;
}

export async function idle(deps: AgentDeps, sessionId: string): Promise<void> {
  await deps.sessions.update(sessionId, { status: 'idle' });
}

export async function completeOperation(
  deps: AgentDeps,
  envelope: OperationEnvelope,
  outcome: OperationOutcome,
): Promise<void> {
  await emitEvent(deps, envelope.sessionId, {
    type: 'operation_complete',
    opId: envelope.id,
    opType: envelope.op.type,
    outcome,
  });
}

/**
 * A run that stopped mid-stream (its worker died or lost the session) left an answer without its
 * end: close it, so the thread shows that text as cut and the resumed answer as a message of its own.
 */
export async function closeOpenStream(deps: AgentDeps, sessionId: string): Promise<void> {
  const last = await deps.events.last(sessionId);
  if (last?.event.type === 'assistant_chunk')
    await emitEvent(deps, sessionId, { type: 'assistant_stream_end' });
}
