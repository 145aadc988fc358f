import type { JobsCall } from './call-context.js';
import { requireId } from './call-context.js';
import { hardwareCatalog } from './hardware-catalog.js';
import { newestFirst } from './jobs-api.js';
import { isTerminalStage } from './jobs-shapes.js';
import { formatJobDetails, formatJobsTable, jobNamespace, jobUrl } from './job-format.js';
import type { HfJobsArgs } from './jobs-schema.js';
import type { LogTail } from './log-tail.js';
import { formatDuration } from './timeout.js';

/** Rows of `ps`: the newest jobs (a namespace can hold thousands). */
export const PS_ROWS = 30;
/** Lines of `logs`: the tail, as `hf jobs logs | tail` would show. */
export const LOG_LINES = 100;
/** Room for the log lines in a result, characters (the result cap is 8,000). */
const LOG_CHARS = 6_500;

/** `ps`: the namespace's jobs, newest first, running ones counted. */
export async function psOperation(call: JobsCall): Promise<string> {
  const namespace = await call.namespace();
  const jobs = newestFirst(await call.api.list(namespace));
  if (jobs.length === 0) return `No jobs in ${namespace} yet.`;
  const running = jobs.filter((job) => !isTerminalStage(job.status.stage)).length;
  return [
    `**Jobs of ${namespace}** (${jobs.length}; ${running} not finished). (intern) marks the ones this bot launched.`,
    '',
    formatJobsTable(jobs, PS_ROWS),
  ].join('\n');
}

/** `inspect`: one job in detail, with what it has cost so far. */
export async function inspectOperation(call: JobsCall, args: HfJobsArgs): Promise<string> {
  const jobId = requireId(args.job_id, 'job_id', 'inspect');
  const namespace = await call.namespace();
  const job = await call.api.get(namespace, jobId);
  const catalog = await hardwareCatalog(call.services, { signal: call.signal });
  return formatJobDetails(job, namespace, catalog);
}

/**
 * `logs`: the last lines of a job. A running job's stream stays open, so it is read until it goes
 * quiet; a stream that breaks gives what it delivered, and the result says which happened.
 */
export async function logsOperation(call: JobsCall, args: HfJobsArgs): Promise<string> {
  const jobId = requireId(args.job_id, 'job_id', 'logs');
  const namespace = await call.namespace();
  const job = await call.api.get(namespace, jobId);
  const running = !isTerminalStage(job.status.stage);
  const tail = await call.api.logTail(namespace, jobId, {
    keep: LOG_LINES,
    idleMs: running ? call.logs.idleMs : call.logs.maxMs,
    maxMs: call.logs.maxMs,
  });
  return formatLogs(
    jobId,
    job.status.stage,
    running,
    tail,
    call.logs.maxMs,
    jobUrl(jobNamespace(job, namespace), jobId),
  );
}

function formatLogs(
  jobId: string,
  stage: string,
  running: boolean,
  tail: LogTail,
  maxMs: number,
  url: string,
): string {
  const shown = [...tail.lines];
  while (shown.length > 1 && shown.join('\n').length > LOG_CHARS) shown.shift();
  const count =
    tail.total === 0
      ? 'no lines'
      : shown.length < tail.total
        ? `the last ${shown.length} of ${tail.total} lines`
        : `${tail.total} line${tail.total === 1 ? '' : 's'}`;
  const head = `**Logs of job ${jobId}** (${stage}): ${count}`;
  const body = shown.join('\n');
  const fence = body.includes('```') ? '````' : '```';
  const block = tail.total === 0 ? [] : [`${fence}text`, body, fence];
  return [head, ...block, logNote(running, tail, maxMs, url)].filter(Boolean).join('\n');
}

function logNote(running: boolean, tail: LogTail, maxMs: number, url: string): string {
  if (tail.end === 'dropped') {
    return `The log stream broke off after ${tail.total} lines: the lines above are what arrived before it did. Call logs again to read on (or open ${url}).`;
  }
  if (running) {
    return tail.total === 0
      ? 'The job has written no log lines yet (it may still be starting). Look again later; do not poll in a loop.'
      : 'The job is still running: these are its lines so far. Look again later for more; do not poll in a loop.';
  }
  if (tail.end === 'time' || tail.end === 'idle') {
    return `The log stream did not finish within ${formatDuration(maxMs / 1000)}; these are the last lines it sent (all of them are at ${url}).`;
  }
  return tail.total === 0 ? 'The job wrote no logs.' : '';
}

/** `cancel`: asks the Hub to stop the job and says the stage it reports. */
export async function cancelOperation(call: JobsCall, args: HfJobsArgs): Promise<string> {
  const jobId = requireId(args.job_id, 'job_id', 'cancel');
  const namespace = await call.namespace();
  const job = await call.api.cancel(namespace, jobId);
  const ended = isTerminalStage(job.status.stage);
  return `Cancel requested for job ${jobId}: its stage is now ${job.status.stage}${ended ? '' : ' (it is stopping; inspect shows when it has ended)'}. ${jobUrl(jobNamespace(job, namespace), jobId)}`;
}
