import type { Operation } from '../core/operations.js';
import type { SessionRecord } from '../store/session-store.js';
import { emitEvent, type AgentDeps } from './agent-deps.js';
import type { TurnOutcome } from './turn.js';

type JobFinished = Extract<Operation, { type: 'job_finished' }>;
type CancelJob = Extract<Operation, { type: 'cancel_job' }>;

/** Cancels an HF job on the Hub; the job watcher then sees it end and the session hears of it. */
export interface JobControl {
  cancel(namespace: string, jobId: string, signal: AbortSignal): Promise<void>;
}

/**
 * Whom an unasked report (a job's end) is for, as the chat platforms write a mention: the session's
 * owner, in a chat thread. Put before the report's first text, so it never depends on the model.
 */
export function askerMention(session: SessionRecord): string | undefined {
  return session.platform === 'terminal' || session.owner === '' ? undefined : `<@${session.owner}> `;
}

/**
 * The message a session gets when one of its jobs ends, written for the model: what happened, the
 * last log lines, and what to do now.
 */
export function jobFinishedNote(op: JobFinished): string {
  const took = op.elapsedSeconds === undefined ? '' : ` after ${formatMinutes(op.elapsedSeconds)}`;
  const cost = op.costUsd === undefined ? '' : `, costing $${op.costUsd.toFixed(2)}`;
  const logs =
    op.logTail.length > 0 ? `\nLast log lines:\n${op.logTail.join('\n')}` : '\nThe job wrote no logs.';
  return (
    `[The HF job ${op.jobId} (${op.flavor}, namespace ${op.namespace}) ended: ${op.stage}${took}${cost}.]${logs}\n\n` +
    `Report in the thread what happened (read more with hf_jobs logs if you need to). If it succeeded, check and ` +
    `link what it pushed to the Hub; if it failed, say why and what you propose.`
  );
}

/** The Cancel button of a job card: cancel on the Hub, or say why it could not be done. */
export async function cancelJob(
  deps: AgentDeps,
  sessionId: string,
  op: CancelJob,
): Promise<TurnOutcome | 'error'> {
  if (!deps.jobControl) {
    await emitEvent(deps, sessionId, {
      type: 'error',
      code: 'jobs_unavailable',
      message: 'Jobs cannot be cancelled from here: this worker has no Hugging Face token.',
    });
    return 'error';
  }
  try {
    await deps.jobControl.cancel(op.namespace, op.jobId, AbortSignal.timeout(30_000));
    deps.logger.info({ sessionId, jobId: op.jobId }, 'job cancelled from its card');
    return 'done';
  } catch (err) {
    deps.logger.warn({ err, sessionId, jobId: op.jobId }, 'job cancel failed');
    await emitEvent(deps, sessionId, {
      type: 'error',
      code: 'job_cancel_failed',
      message: `Could not cancel job ${op.jobId}: ${err instanceof Error ? err.message : String(err)}`,
    });
    return 'error';
  }
}

function formatMinutes(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}
