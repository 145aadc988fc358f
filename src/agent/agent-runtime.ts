import type { OperationEnvelope } from '../core/operations.js';
import type { OperationOutcome } from '../core/events.js';
import { userMessageOf } from '../core/errors.js';
import type { SessionRecord, SessionSpend } from '../store/session-store.js';
import type { OperationHandler, OperationRun } from '../queue/drain-worker.js';
import { emitEvent, fencedDeps, writeLast, type AgentDeps } from './agent-deps.js';
import { LockLostError, type Fence } from '../store/fenced-writes.js';
import { compactHistory } from './compaction.js';
import { danglingToolCalls } from './history-queries.js';
import { answered, closeOpenStream, completeOperation, idle, startFresh, undo } from './session-steps.js';
import { abandonCalls } from './tool-batch.js';
import { askerMention, cancelJob, jobFinishedNote } from './job-operations.js';
import type { ChatMessage } from '../core/messages.js';
import { runTurn } from './turn-loop.js';
import { newTurn, type TurnOutcome } from './turn.js';

/** The operations that read the session's history. */
const HISTORY_OPS: ReadonlySet<string> = new Set([
  'user_input',
  'job_finished',
  'exec_approval',
  'compact',
  'undo',
]);

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
      outcome = await this.dispatch(deps, envelope, session, resuming, watch.signal, stop, history);
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
    loading: Promise<ChatMessage[]> | undefined,
  ): Promise<TurnOutcome | 'error'> {
    const { sessionId, op } = envelope;
    const loadHistory = () => loading ?? deps.history.load(sessionId);
    switch (op.type) {
      case 'user_input':
        return this.turnOnMessage(deps, envelope, session, await loadHistory(), resuming, cancel, stop, {
          content: op.text,
          abandonWhy: 'the user sent a new message instead of deciding.',
        });
      case 'job_finished':
        return this.turnOnMessage(deps, envelope, session, await loadHistory(), resuming, cancel, stop, {
          content: jobFinishedNote(op),
          synthetic: 'note',
          abandonWhy: 'a job ended and the turn went on without a decision.',
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

  /**
   * Adds a message (the user's, or the note of an ended job) and runs a turn on it. A resumed run
   * looks for its message first: the run before it may have stopped before adding it, or after
   * answering it.
   */
  private async turnOnMessage(
    deps: AgentDeps,
    envelope: OperationEnvelope,
    session: SessionRecord,
    history: ChatMessage[],
    resuming: boolean,
    cancel: AbortSignal,
    stop: AbortSignal,
    input: { content: string; synthetic?: 'note'; abandonWhy: string; mention?: string },
  ): Promise<TurnOutcome> {
    const { sessionId } = envelope;
    const added = resuming && history.some((m) => m.role === 'user' && m.opId === envelope.id);
    let spend: Promise<SessionSpend> | undefined;
    if (!added) {
      // Calls still waiting for a decision are closed: every tool call always gets a result.
      const dangling = danglingToolCalls(history);
      if (dangling.length > 0) {
        history.push(...(await abandonCalls(deps, sessionId, dangling, input.abandonWhy)));
      }
      const message: ChatMessage = {
        role: 'user',
        content: input.content,
        opId: envelope.id,
        ...(input.synthetic ? { synthetic: input.synthetic } : {}),
      };
      // The turn's first spending check reads in the same script as the message's append.
      spend = deps.sessions.spendOf(sessionId);
      spend.catch(() => undefined); // awaited by that check; the append reports a failure first
      await deps.history.append(sessionId, message);
      history.push(message);
    } else if (answered(history)) {
      // The run before this one finished the turn and stopped just before saying so.
      await idle(deps, sessionId);
      return 'done';
    }
    const turn = await newTurn(deps, session, history, { cancel, stop }, new Map());
    if (input.mention) turn.mention = input.mention;
    if (spend) turn.spend = spend;
    return runTurn(deps, turn);
  }
}
