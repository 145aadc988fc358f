import { ToolInputError } from '../shared/service-error.js';
import { DEFAULT_FLAVOR } from './approval.js';
import type { JobsCall } from './call-context.js';
import { callLabels } from './call-label.js';
import {
  estimateJobCost,
  formatPerMinute,
  formatUsd,
  pricePerSecondUsd,
  type JobCostEstimate,
} from './cost.js';
import { describeFlavor, findFlavor, hardwareCatalog } from './hardware-catalog.js';
import type { HardwareCatalog, JobHardware } from './hardware-shapes.js';
import type { JobLaunch } from './jobs-api.js';
import type { HfJobsArgs } from './jobs-schema.js';
import { jobProgram, type JobProgram } from './job-program.js';
import { formatDuration, parseTimeout } from './timeout.js';

/** A launch checked and priced before anything is sent: `run` and `scheduled run` share it. */
export interface LaunchPlan {
  namespace: string;
  program: JobProgram;
  flavor: JobHardware;
  timeoutSeconds: number;
  launch: JobLaunch;
  estimate: JobCostEstimate | undefined;
}

/**
 * Checks the model's arguments (script or command, timeout, flavor: the cheap mistakes first, then
 * the flavor against the live catalog), resolves the namespace, and builds the launch with
 * `HF_TOKEN` as a secret and the call's label.
 */
export async function planLaunch(call: JobsCall, args: HfJobsArgs): Promise<LaunchPlan> {
  const program = jobProgram(args, call.api.access.token);
  const timeoutSeconds = parseTimeout(args.timeout ?? call.jobs.defaultTimeout);
  const catalog = await hardwareCatalog(call.services, { signal: call.signal });
  const flavorName = args.hardware_flavor?.trim() || DEFAULT_FLAVOR;
  const flavor = findFlavor(catalog, flavorName);
  if (!flavor) throw unknownFlavor(flavorName, catalog);
  const token = call.api.token();
  const namespace = await call.namespace();
  const launch: JobLaunch = {
    dockerImage: program.dockerImage,
    command: program.command,
    environment: program.environment,
    secrets: { HF_TOKEN: token },
    flavor: flavor.name,
    timeoutSeconds,
    labels: callLabels(call.toolCallId),
  };
  return {
    namespace,
    program,
    flavor,
    timeoutSeconds,
    launch,
    estimate: estimateJobCost(flavor, timeoutSeconds, catalog),
  };
}

function unknownFlavor(name: string, catalog: HardwareCatalog): ToolInputError {
  const valid = catalog.flavors.map((flavor) => {
    const perSecond = pricePerSecondUsd(flavor);
    return perSecond === undefined
      ? flavor.name
      : `${flavor.name} (${formatUsd(perSecond * 3_600, 'nearest')}/h)`;
  });
  return new ToolInputError(`Unknown hardware flavor "${name}". Valid flavors: ${valid.join(', ')}.`);
}

/** The lines a launch result shares: flavor, timeout, cost ceiling, what runs, the token. */
export function planLines(plan: LaunchPlan): string[] {
  const lines = [
    `- Flavor: ${plan.flavor.name} (${describeFlavor(plan.flavor)}); timeout ${formatDuration(plan.timeoutSeconds)}`,
  ];
  if (plan.estimate) {
    lines.push(
      `- Cost: at most ${formatUsd(plan.estimate.usd)} (${formatPerMinute(plan.estimate.perMinuteUsd)} × ${formatDuration(plan.timeoutSeconds)}); billed for the time it runs`,
    );
  }
  const what =
    plan.program.kind === 'python'
      ? `Python script via uv in ${plan.program.dockerImage}`
      : `command in ${plan.program.dockerImage}`;
  lines.push(`- Runs: ${what}`);
  const dropped = plan.program.droppedEnv.length
    ? ` (left out of env: ${plan.program.droppedEnv.join(', ')})`
    : '';
  lines.push(`- HF_TOKEN reaches the job as a secret${dropped}`);
  return lines;
}
