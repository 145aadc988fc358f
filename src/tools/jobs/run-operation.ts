import { ServiceError } from '../shared/service-error.js';
import type { JobsCall } from './call-context.js';
import { CALL_LABEL } from './call-label.js';
import { billingError, isBillingFailure } from './jobs-errors.js';
import type { JobInfo } from './jobs-shapes.js';
import { jobNamespace, jobUrl } from './job-format.js';
import { planLaunch, planLines, type LaunchPlan } from './launch-plan.js';
import type { HfJobsArgs } from './jobs-schema.js';

/**
 * `run`: launch once, answer at once. Before the POST the namespace's jobs are searched for this
 * call's label, and a job found is returned instead of launching: a retried or recovered call never
 * starts a second job. A POST that got no answer is checked the same way before it is reported.
 */
/** What `run` did: its text for the model, and the job, new or found. */
export interface RunOutcome {
  text: string;
  job: JobInfo;
  namespace: string;
  /** `found`: this call had already launched it (nothing new was spent). */
  how: 'new' | 'found' | 'recovered';
}

export async function runOperation(call: JobsCall, args: HfJobsArgs): Promise<RunOutcome> {
  const plan = await planLaunch(call, args);
  const label = plan.launch.labels[CALL_LABEL] ?? '';
  const existing = await call.api.findByLabel(plan.namespace, CALL_LABEL, label);
  if (existing) return launched(existing, plan, 'found');
  let job: JobInfo;
  try {
    job = await call.api.run(plan.namespace, plan.launch);
  } catch (err) {
    if (isBillingFailure(err)) throw billingError(plan.namespace, err);
    if (!mayHaveLaunched(err)) throw err;
    const landed = await call.api.findByLabel(plan.namespace, CALL_LABEL, label).catch(() => undefined);
    if (landed) return launched(landed, plan, 'recovered');
    const said = err instanceof Error ? err.message : String(err);
    throw new ServiceError(
      `${said} The launch may still have gone through: call ps before launching it again (a retry of this same call would find it by its label).`,
      { cause: err },
    );
  }
  return launched(job, plan, 'new');
}

/** No answer, or a server failure: the Hub may have created the job all the same. */
function mayHaveLaunched(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return true;
  return err.status === undefined || err.status >= 500;
}

function launched(job: JobInfo, plan: LaunchPlan, how: RunOutcome['how']): RunOutcome {
  const namespace = jobNamespace(job, plan.namespace);
  return { text: launchText(job, plan, how, namespace), job, namespace, how };
}

function launchText(job: JobInfo, plan: LaunchPlan, how: RunOutcome['how'], namespace: string): string {
  const head =
    how === 'new'
      ? `Job launched: ${job.id} (${job.status.stage})`
      : how === 'found'
        ? `This call already launched job ${job.id} (found by its label ${CALL_LABEL}=${plan.launch.labels[CALL_LABEL]}); it was not launched again. Stage: ${job.status.stage}`
        : `Job launched: ${job.id} (${job.status.stage}); the Hub's answer was lost, and the job was found by its label`;
  return [
    head,
    `- URL: ${jobUrl(namespace, job.id)}`,
    ...planLines(plan),
    `- Label: ${CALL_LABEL}=${plan.launch.labels[CALL_LABEL]}`,
    '',
    `The job runs on its own; nothing waits for it. Look at it later with {"operation": "inspect", "job_id": "${job.id}"} or {"operation": "logs", "job_id": "${job.id}"}; do not poll in a loop. Files written inside the job are lost when it ends: the script must push its results to the Hub.`,
  ].join('\n');
}
