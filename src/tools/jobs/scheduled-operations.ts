import { ToolInputError } from '../shared/service-error.js';
import { requireId, type JobsCall } from './call-context.js';
import { CALL_LABEL } from './call-label.js';
import { billingError, isBillingFailure } from './jobs-errors.js';
import { formatScheduledJob, formatScheduledTable } from './job-format.js';
import { planLaunch, planLines } from './launch-plan.js';
import type { HfJobsArgs } from './jobs-schema.js';
import type { ScheduledJobInfo } from './jobs-shapes.js';

const SCHEDULED_ROWS = 30;

/**
 * `scheduled run`: a job spec run on a cron schedule. Like `run`, the call's label (on the spec)
 * is looked for first, so a retried call does not create a second schedule.
 */
export async function scheduledRunOperation(call: JobsCall, args: HfJobsArgs): Promise<string> {
  const schedule = args.schedule?.trim();
  if (!schedule) {
    throw new ToolInputError(
      'scheduled run needs schedule: "@hourly", "@daily", "@weekly", "@monthly" or a cron expression ("0 9 * * 1").',
    );
  }
  const plan = await planLaunch(call, args);
  const label = plan.launch.labels[CALL_LABEL];
  const existing = (await call.api.listScheduled(plan.namespace)).find(
    (job) => job.jobSpec.labels?.[CALL_LABEL] === label,
  );
  let created: ScheduledJobInfo;
  if (existing) {
    created = existing;
  } else {
    try {
      created = await call.api.createScheduled(plan.namespace, schedule, plan.launch);
    } catch (err) {
      if (isBillingFailure(err)) throw billingError(plan.namespace, err);
      throw err;
    }
  }
  const lines = planLines(plan).map((line) => line.replace('- Cost: at most', '- Cost per run: at most'));
  return [
    existing
      ? `This call already created scheduled job ${created.id} (found by its label); it was not created again.`
      : `Scheduled job created: ${created.id}`,
    `- Schedule: ${created.schedule ?? schedule}`,
    ...lines,
    '',
    `Each run is a job of its own (ps lists them). Inspect it with {"operation": "scheduled inspect", "scheduled_job_id": "${created.id}"}.`,
  ].join('\n');
}

export async function scheduledPsOperation(call: JobsCall): Promise<string> {
  const namespace = await call.namespace();
  const jobs = await call.api.listScheduled(namespace);
  if (jobs.length === 0) return `No scheduled jobs in ${namespace}.`;
  return [
    `**Scheduled jobs of ${namespace}** (${jobs.length})`,
    '',
    formatScheduledTable(jobs, SCHEDULED_ROWS),
  ].join('\n');
}

export async function scheduledInspectOperation(call: JobsCall, args: HfJobsArgs): Promise<string> {
  const id = requireId(args.scheduled_job_id, 'scheduled_job_id', 'scheduled inspect');
  const namespace = await call.namespace();
  return formatScheduledJob(await call.api.getScheduled(namespace, id));
}

/** `scheduled delete`, `scheduled suspend`, `scheduled resume`. */
export async function scheduledChangeOperation(
  call: JobsCall,
  args: HfJobsArgs,
  change: 'delete' | 'suspend' | 'resume',
): Promise<string> {
  const id = requireId(args.scheduled_job_id, 'scheduled_job_id', `scheduled ${change}`);
  const namespace = await call.namespace();
  if (change === 'delete') {
    await call.api.deleteScheduled(namespace, id);
    return `Scheduled job ${id} deleted: it will not run again (jobs it already started are not affected).`;
  }
  if (change === 'suspend') {
    await call.api.suspendScheduled(namespace, id);
    return `Scheduled job ${id} suspended: it will not run until resumed ({"operation": "scheduled resume", "scheduled_job_id": "${id}"}).`;
  }
  await call.api.resumeScheduled(namespace, id);
  return `Scheduled job ${id} resumed: it runs on its schedule again.`;
}
