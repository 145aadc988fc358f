import type { OperationEnvelope } from '../core/operations.js';
import type { OperationOutcome } from '../core/events.js';
import { userMessageOf } from '../core/errors.js';
import type { SessionRecord } from '../store/session-store.js';
import type { OperationHandler, OperationRun } from '../queue/drain-worker.js';
import { emitEvent, fencedDeps, writeLast, type AgentDeps } from './agent-deps.js';
import { LockLostError, type Fence } from '../store/fenced-writes.js';
import { compactHistory } from './compaction.js';
import { answered, closeOpenStream, completeOperation, idle, startFresh, undo } from './session-steps.js';
import { askerMention, cancelJob, jobFinishedNote } from './job-operations.js';
import type { ChatMessage } from '../core/messages.js';
import type { Todo } from '../core/events.js';
import { openTodos } from '../tools/plan-tool.js';
import { runTurn } from './turn-loop.js';
import { turnOnMessage } from './turn-on-message.js';
import { newTurn, type TurnOutcome } from './turn.js';

/** The operations that read the session's history. */
const HISTORY_OPS: ReadonlySet<string> = new Set([
  'user_input',
  'job_finished',
  'exec_approval',
  'compact',
  'undo',
]);

/** The operations that add a message and run a turn on it. */
const MESSAGE_OPS: ReadonlySet<string> = new Set(['user_input', 'job_finished']);

/** A worker gives up on an operation that crashed this many workers (a poison operation). */
const MAX_OPERATION_ATTEMPTS = 3;

/**
 * Runs operations for the drain worker: one operation of one session at a time, all state in Redis,
 * so any worker can pick up where another stopped.
 */
export class AgentRuntime implements OperationHandler {
  constructor(private readonly deps: AgentDeps) {}

  async handle(envelope: OperationEnvelope, run: OperationRun): Promise<'done' | 'yielded'> {
    // Every write of this run is fenced by its session lock: once another worker holds the
    // session, the next write throws and this run stops (see `Fence`).
    const deps = fencedDeps(this.deps, run.fence);
    const { stop } = run;
    try {
      return await this.run(deps, envelope, run);
    } catch (err) {
      if (err instanceof LockLostError || stop.aborted) return 'yielded';
      throw err;
    }
  }

  private async run(
    deps: AgentDeps,
    envelope: OperationEnvelope,
    { stop, finish, session: hash }: OperationRun,
  ): Promise<'done' | 'yielded'> {
    // The operation ends in one script: its last writes, `operation_complete` and its removal from
    // the mailbox (`finish`), issued together (see `writeLast`).
    const complete = async (outcome: OperationOutcome) => {
      await Promise.all([...(deps.closing ?? []), completeOperation(deps, envelope, outcome), finish()]);
    };
    const { sessionId, op } = envelope;
    const session = deps.sessions.parse(sessionId, hash);
    if (!session) {
      deps.logger.warn({ sessionId, op: op.type }, 'operation for an unknown session dropped');
      return 'done';
    }
    if (session.status === 'ended') {
      await writeLast(
        deps,
        emitEvent(deps, sessionId, {
          type: 'error',
          code: 'session_ended',
          message: 'This session has ended; start a new one.',
        }),
      );
      await complete('ended');
      return 'done';
    }
    const resuming = session.currentOp === envelope.id;
    const attempts = resuming ? session.currentOpAttempts + 1 : 1;
    if (attempts > MAX_OPERATION_ATTEMPTS) {
      deps.logger.error(
        { sessionId, op: op.type, attempts },
        'operation dropped after repeated worker failures',
      );
      await writeLast(
        deps,
        Promise.all([
          emitEvent(deps, sessionId, {
            type: 'error',
            code: 'operation_failed',
            message: 'That request failed several times in a row and was dropped. Please try again.',
          }),
          deps.sessions.update(sessionId, { status: 'idle' }),
        ]),
      );
      await complete('error');
      return 'done';
    }
    // Independent writes and the cancel check are sent together: one round trip of waiting, not three.
    const watching = deps.cancel.watch(sessionId, envelope.at);
    // The history too: these reads and the run's first writes go to Redis as one script.
    const history = HISTORY_OPS.has(op.type) ? deps.history.load(sessionId) : undefined;
    history?.catch(() => undefined); // awaited by the operation, or failing with the writes
    // And the plan, for a turn on a message: see `Turn.todos`.
    const todos = MESSAGE_OPS.has(op.type) ? openTodos(deps.toolState(sessionId)) : undefined;
    todos?.catch(() => undefined);
    const [watch] = await Promise.all([
      watching,
      deps.sessions.update(sessionId, {
        currentOp: envelope.id,
        currentOpAttempts: attempts,
        status: 'running',
      }),
      resuming
        ? closeOpenStream(deps, sessionId)
        : emitEvent(deps, sessionId, { type: 'processing', opType: op.type }),
    ]).catch(async (err: unknown) => {
      (await watching.catch(() => undefined))?.dispose();
      throw err;
    });
    const started = performance.now();
    let outcome: OperationOutcome | 'yielded';
    try {
      outcome = await this.dispatch(deps, envelope, session, resuming, watch.signal, stop, {
        history,
        todos,
      });
    } catch (err) {
      if (stop.aborted) return 'yielded';
      deps.logger.error({ err, sessionId, op: op.type }, 'operation failed');
      const { code, message } = userMessageOf(err);
      await writeLast(
        deps,
        Promise.all([
          emitEvent(deps, sessionId, { type: 'error', code, message }),
          deps.sessions.update(sessionId, { status: 'idle' }),
        ]),
      );
      outcome = 'error';
    } finally {
      watch.dispose();
    }
    if (outcome === 'yielded') return 'yielded';
    if (outcome === 'ended') await this.release(deps, sessionId);
    deps.metrics.operationFinished(op.type, outcome, (performance.now() - started) / 1000);
    await complete(outcome);
    return 'done';
  }

  /** The session ended (shutdown, new, a context it cannot fit): what it held outside Redis goes. */
  private async release(deps: AgentDeps, sessionId: string): Promise<void> {
    // A failure here leaves the rest to the sandbox's idle check; the operation itself is done.
    await deps.sessionEnded?.(sessionId).catch((err: unknown) => {
      deps.logger.warn({ err, sessionId }, 'releasing the ended session failed');
    });
  }

  async rejectMalformed(sessionId: string, reason: string, fence: Fence): Promise<void> {
    await emitEvent(fencedDeps(this.deps, fence), sessionId, {
      type: 'error',
      code: 'bad_operation',
      message: `A malformed request was ignored (${reason}).`,
    });
  }

  private async dispatch(
    deps: AgentDeps,
    envelope: OperationEnvelope,
    session: SessionRecord,
    resuming: boolean,
    cancel: AbortSignal,
    stop: AbortSignal,
    read: { history?: Promise<ChatMessage[]> | undefined; todos?: Promise<Todo[]> | undefined },
  ): Promise<TurnOutcome | 'error'> {
    const { sessionId, op } = envelope;
    const loadHistory = () => read.history ?? deps.history.load(sessionId);
    switch (op.type) {
      case 'user_input':
        return turnOnMessage(deps, envelope, session, await loadHistory(), resuming, cancel, stop, {
          content: op.text,
          abandonWhy: 'the user sent a new message instead of deciding.',
          todos: read.todos,
        });
      case 'job_finished':
        return turnOnMessage(deps, envelope, session, await loadHistory(), resuming, cancel, stop, {
          content: jobFinishedNote(op),
          synthetic: 'note',
          abandonWhy: 'a job ended and the turn went on without a decision.',
          todos: read.todos,
          ...(askerMention(session) ? { mention: askerMention(session) } : {}),
        });
      case 'cancel_job':
        return cancelJob(deps, sessionId, op);
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
        const history = await loadHistory();
        if (resuming && answered(history)) {
          await idle(deps, sessionId);
          return 'done';
        }
        return runTurn(deps, await newTurn(deps, session, history, { cancel, stop }, decisions));
      }
      case 'compact': {
        const history = await loadHistory();
        const turn = await newTurn(deps, session, history, { cancel, stop }, new Map());
        if ((await compactHistory(deps, turn)) === 'ended') return 'ended';
        await idle(deps, sessionId);
        return 'done';
      }
      case 'undo':
        return undo(deps, session, await loadHistory());
      case 'new':
        return startFresh(deps, session);
      case 'shutdown':
        await deps.sessions.update(sessionId, { status: 'ended' });
        await emitEvent(deps, sessionId, { type: 'shutdown' });
        return 'ended';
      case 'interrupt':
        return 'done'; // never queued: interrupts go through the cancel flag
    }
  }
}
