import { randomUUID } from 'node:crypto';
import type { OperationEnvelope } from '../core/operations.js';
import type { OperationOutcome } from '../core/events.js';
import { userMessageOf } from '../core/errors.js';
import type { SessionRecord } from '../store/session-store.js';
import type { OperationHandler } from '../queue/drain-worker.js';
import { emitEvent, type AgentDeps } from './agent-deps.js';
import { compactHistory } from './compaction.js';
import { danglingToolCalls, lastUserTurnIndex } from './history-queries.js';
import { abandonCalls } from './tool-batch.js';
import { runTurn, type Turn, type TurnOutcome } from './turn-loop.js';

/** A worker gives up on an operation that crashed this many workers (a poison operation). */
const MAX_OPERATION_ATTEMPTS = 3;

/**
 * Runs operations for the drain worker: one operation of one session at a time, all state in Redis,
 * so any worker can pick up where another stopped.
 */
export class AgentRuntime implements OperationHandler {
  constructor(private readonly deps: AgentDeps) {}

  async handle(envelope: OperationEnvelope, stop: AbortSignal): Promise<'done' | 'yielded'> {
    const { deps } = this;
    const { sessionId, op } = envelope;
    const session = await deps.sessions.get(sessionId);
    if (!session) {
      deps.logger.warn({ sessionId, op: op.type }, 'operation for an unknown session dropped');
      return 'done';
    }
    if (session.status === 'ended') {
      await emitEvent(deps, sessionId, {
        type: 'error',
        code: 'session_ended',
        message: 'This session has ended; start a new one.',
      });
      await this.complete(envelope, 'ended');
      return 'done';
    }
    const resuming = session.currentOp === envelope.id;
    const attempts = resuming ? session.currentOpAttempts + 1 : 1;
    if (attempts > MAX_OPERATION_ATTEMPTS) {
      deps.logger.error(
        { sessionId, op: op.type, attempts },
        'operation dropped after repeated worker failures',
      );
      await emitEvent(deps, sessionId, {
        type: 'error',
        code: 'operation_failed',
        message: 'That request failed several times in a row and was dropped. Please try again.',
      });
      await deps.sessions.update(sessionId, { status: 'idle' });
      await this.complete(envelope, 'error');
      return 'done';
    }
    // Independent writes and the cancel check are sent together: one round trip of waiting, not three.
    const [watch] = await Promise.all([
      deps.cancel.watch(sessionId, envelope.at),
      deps.sessions.update(sessionId, {
        currentOp: envelope.id,
        currentOpAttempts: attempts,
        status: 'running',
      }),
      resuming ? undefined : emitEvent(deps, sessionId, { type: 'processing', opType: op.type }),
    ]);
    const started = performance.now();
    let outcome: OperationOutcome | 'yielded';
    try {
      outcome = await this.dispatch(envelope, session, resuming, watch.signal, stop);
    } catch (err) {
      if (stop.aborted) return 'yielded';
      deps.logger.error({ err, sessionId, op: op.type }, 'operation failed');
      const { code, message } = userMessageOf(err);
      await emitEvent(deps, sessionId, { type: 'error', code, message });
      await deps.sessions.update(sessionId, { status: 'idle' });
      outcome = 'error';
    } finally {
      watch.dispose();
    }
    if (outcome === 'yielded') return 'yielded';
    deps.metrics.operationFinished(op.type, outcome, (performance.now() - started) / 1000);
    await this.complete(envelope, outcome);
    return 'done';
  }

  private async complete(envelope: OperationEnvelope, outcome: OperationOutcome): Promise<void> {
    await emitEvent(this.deps, envelope.sessionId, {
      type: 'operation_complete',
      opId: envelope.id,
      opType: envelope.op.type,
      outcome,
    });
  }

  async rejectMalformed(sessionId: string, reason: string): Promise<void> {
    await emitEvent(this.deps, sessionId, {
      type: 'error',
      code: 'bad_operation',
      message: `A malformed request was ignored (${reason}).`,
    });
  }

  private async dispatch(
    envelope: OperationEnvelope,
    session: SessionRecord,
    resuming: boolean,
    cancel: AbortSignal,
    stop: AbortSignal,
  ): Promise<TurnOutcome | 'error'> {
    const { deps } = this;
    const { sessionId, op } = envelope;
    switch (op.type) {
      case 'user_input': {
        const history = await deps.history.load(sessionId);
        if (!resuming) {
          // Calls still waiting for a decision are closed: every tool call always gets a result.
          const dangling = danglingToolCalls(history);
          if (dangling.length > 0) {
            history.push(
              ...(await abandonCalls(
                deps,
                sessionId,
                dangling,
                'the user sent a new message instead of deciding.',
              )),
            );
          }
          const message = { role: 'user' as const, content: op.text };
          await deps.history.append(sessionId, message);
          history.push(message);
        }
        return runTurn(deps, this.newTurn(session, history, cancel, stop, new Map()));
      }
      case 'exec_approval': {
        const pending = await deps.toolCalls.getPending(sessionId);
        const decisions = new Map(
          op.decisions.filter((d) => pending.has(d.toolCallId)).map((d) => [d.toolCallId, d]),
        );
        if (decisions.size === 0 && !resuming) {
          deps.logger.warn({ sessionId }, 'approval for calls that are not pending ignored');
          await deps.sessions.update(sessionId, { status: pending.size > 0 ? 'awaiting_approval' : 'idle' });
          await emitEvent(deps, sessionId, {
            type: 'error',
            code: 'nothing_pending',
            message: 'Those calls are no longer waiting for approval.',
          });
          return 'error';
        }
        for (const d of decisions.values()) {
          const call = pending.get(d.toolCallId)!.toolCall;
          await emitEvent(deps, sessionId, {
            type: 'tool_state_change',
            toolCallId: call.id,
            tool: call.name,
            state: d.approved ? 'approved' : 'rejected',
          });
        }
        const history = await deps.history.load(sessionId);
        return runTurn(deps, this.newTurn(session, history, cancel, stop, decisions));
      }
      case 'compact': {
        const turn = this.newTurn(session, await deps.history.load(sessionId), cancel, stop, new Map());
        if ((await compactHistory(deps, turn)) === 'ended') return 'ended';
        await this.idle(sessionId);
        return 'done';
      }
      case 'undo':
        return this.undo(session);
      case 'new':
        return this.startFresh(session);
      case 'shutdown':
        await deps.sessions.update(sessionId, { status: 'ended' });
        await emitEvent(deps, sessionId, { type: 'shutdown' });
        return 'ended';
      case 'interrupt':
        return 'done'; // never queued: interrupts go through the cancel flag
    }
  }

  private newTurn(
    session: SessionRecord,
    history: Turn['history'],
    cancel: AbortSignal,
    stop: AbortSignal,
    decisions: Turn['decisions'],
  ): Turn {
    return {
      session,
      history,
      model: this.deps.resolveModel(session.model),
      cancel,
      stop,
      decisions,
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
      costUsd: 0,
    };
  }

  private async undo(session: SessionRecord): Promise<'done'> {
    const { deps } = this;
    const history = await deps.history.load(session.id);
    const index = lastUserTurnIndex(history);
    const kept = index < 0 ? history : history.slice(0, index);
    await deps.history.replace(session.id, kept);
    await deps.toolCalls.clearPending(session.id);
    await emitEvent(deps, session.id, { type: 'undo_complete', removed: history.length - kept.length });
    await this.idle(session.id);
    return 'done';
  }

  /** `new`: a fresh session takes over the thread; the old one ends and points to it. */
  private async startFresh(session: SessionRecord): Promise<'ended'> {
    const { deps } = this;
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
      await deps.threads.set(
        { platform: session.platform, channel: session.channel, thread: session.thread },
        id,
      );
    }
    await deps.sessions.update(session.id, { status: 'ended', replacedBy: id });
    await emitEvent(deps, session.id, { type: 'shutdown', replacedBy: id });
    return 'ended';
  }

  private async idle(sessionId: string): Promise<void> {
    await this.deps.sessions.update(sessionId, { status: 'idle' });
  }
}
