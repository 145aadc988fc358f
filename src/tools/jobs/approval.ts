import { describeFlavor, findFlavor } from './hardware-catalog.js';
import { FALLBACK_HARDWARE } from './hardware-fallback.js';
import type { JobHardware } from './hardware-shapes.js';
import type { JobsConfig } from './jobs-config.js';
import type { HfJobsArgs } from './jobs-schema.js';
import { formatDuration, tryParseTimeout } from './timeout.js';

/** The flavor a run names none of (the reference agent's default). */
export const DEFAULT_FLAVOR = 'cpu-basic';

export type JobApprovalKind = 'gpu-run' | 'cpu-run' | 'unknown-flavor' | 'scheduled';

/** Why an `hf_jobs` call waits for a human, with what the approval card needs to price it. */
export interface JobApproval {
  /** The card's sentence: what is launched or changed, on which flavor, for how long. */
  reason: string;
  kind: JobApprovalKind;
  /** Every `scheduled …` change asks even in yolo (DESIGN.md); a run may be auto-approved within budget. */
  alwaysAsk: boolean;
  /** What a `run` or `scheduled run` launches, for the estimate (absent for delete, suspend, resume). */
  launch?: JobLaunchTerms;
}

/** The flavor and timeout a `run` or `scheduled run` asks for, defaults applied. */
export interface JobLaunchTerms {
  flavor: string;
  /** Absent when the timeout cannot be read (the call will then fail; there is no estimate). */
  timeoutSeconds?: number;
  /** `scheduled run`: the schedule; an estimate is then per run. */
  schedule?: string;
}

/** What a `run` or `scheduled run` launches (`undefined` for any other operation). */
export function launchTerms(
  args: HfJobsArgs,
  jobs: Pick<JobsConfig, 'defaultTimeout'>,
): JobLaunchTerms | undefined {
  if (args.operation !== 'run' && args.operation !== 'scheduled run') return undefined;
  return launchOf(args, jobs);
}

function launchOf(args: HfJobsArgs, jobs: Pick<JobsConfig, 'defaultTimeout'>): JobLaunchTerms {
  const timeoutSeconds = tryParseTimeout(args.timeout ?? jobs.defaultTimeout);
  return {
    flavor: args.hardware_flavor?.trim() || DEFAULT_FLAVOR,
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    ...(args.operation === 'scheduled run' ? { schedule: args.schedule ?? '(no schedule given)' } : {}),
  };
}

/**
 * DESIGN.md's approval rule for `hf_jobs`: a GPU run asks; a CPU run asks unless
 * `jobs.confirmCpuJobs` is false; a flavor missing from `flavors` (no price) asks; every
 * `scheduled …` change (run, delete, suspend, resume) asks, even in yolo; reads (ps, logs, inspect,
 * scheduled ps, scheduled inspect) and cancel never ask. `flavors` defaults to the built-in table
 * (approval is synchronous); pass the live catalog when there is one.
 */
export function approvalOf(
  args: HfJobsArgs,
  jobs: Pick<JobsConfig, 'confirmCpuJobs' | 'defaultTimeout'>,
  flavors: readonly JobHardware[] = FALLBACK_HARDWARE,
): JobApproval | undefined {
  switch (args.operation) {
    case 'ps':
    case 'logs':
    case 'inspect':
    case 'cancel':
    case 'scheduled ps':
    case 'scheduled inspect':
      return undefined;
    case 'scheduled delete':
    case 'scheduled suspend':
    case 'scheduled resume': {
      const verb = args.operation.slice('scheduled '.length);
      const id = args.scheduled_job_id ?? '(no scheduled_job_id given)';
      return {
        reason: `${verb[0]?.toUpperCase()}${verb.slice(1)} the scheduled HF job ${id}`,
        kind: 'scheduled',
        alwaysAsk: true,
      };
    }
    case 'run':
    case 'scheduled run': {
      const launch = launchOf(args, jobs);
      const timeout =
        launch.timeoutSeconds === undefined
          ? `an unreadable timeout (${JSON.stringify(String(args.timeout ?? jobs.defaultTimeout))})`
          : `a ${formatDuration(launch.timeoutSeconds)} timeout`;
      const flavor = findFlavor(flavors, launch.flavor);
      const where = flavor
        ? `${flavor.name} (${describeFlavor(flavor)})`
        : `"${launch.flavor}", a flavor with no known price`;
      if (launch.schedule !== undefined) {
        return {
          reason: `Create a scheduled HF job (${launch.schedule}) on ${where} with ${timeout} per run`,
          kind: 'scheduled',
          alwaysAsk: true,
          launch,
        };
      }
      const reason = `Launch an HF job on ${where} with ${timeout}`;
      if (!flavor) return { reason, kind: 'unknown-flavor', alwaysAsk: false, launch };
      if (flavor.accelerator !== null) return { reason, kind: 'gpu-run', alwaysAsk: false, launch };
      return jobs.confirmCpuJobs ? { reason, kind: 'cpu-run', alwaysAsk: false, launch } : undefined;
    }
  }
}
