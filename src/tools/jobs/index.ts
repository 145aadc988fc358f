import type { AnyToolSpec } from '../../core/tool-spec.js';
import type { ToolServices } from '../tool-services.js';
import type { JobsToolOptions } from './jobs-config.js';
import { hfJobsTool } from './jobs-tool.js';

/**
 * The Hugging Face Jobs tool (`hf_jobs`) and what the agent core and the job watcher build on:
 * prices and estimates, the approval rule, timeouts, the Jobs API client.
 */
export function jobsTools(services: ToolServices, options: JobsToolOptions): AnyToolSpec[] {
  return [hfJobsTool(services, options)];
}

export {
  approvalOf,
  launchTerms,
  DEFAULT_FLAVOR,
  type JobApproval,
  type JobApprovalKind,
  type JobLaunchTerms,
} from './approval.js';
export { estimateJobCall, type JobCallEstimate } from './call-estimate.js';
export { CALL_LABEL, callLabelValue, callLabels } from './call-label.js';
export {
  estimateJobCost,
  flavorInfo,
  formatPerMinute,
  formatUsd,
  jobCostSoFar,
  jobElapsedSeconds,
  pricePerSecondUsd,
  type FlavorInfo,
  type JobCostEstimate,
} from './cost.js';
export {
  describeFlavor,
  FALLBACK_CATALOG,
  findFlavor,
  hardwareCatalog,
  HARDWARE_CACHE_SECONDS,
  isGpuFlavor,
} from './hardware-catalog.js';
export { FALLBACK_HARDWARE, FALLBACK_HARDWARE_TAKEN_AT } from './hardware-fallback.js';
export type { HardwareCatalog, JobHardware } from './hardware-shapes.js';
export { JobsApi, newestFirst, type JobLaunch, type JobsApiOptions } from './jobs-api.js';
export {
  DEFAULT_JOBS_CONFIG,
  type JobsConfig,
  type JobsToolOptions,
  type LogListenOptions,
} from './jobs-config.js';
export { BILLING_URL, isBillingFailure, JOBS_SERVICE } from './jobs-errors.js';
export { hfJobsParameters, JOB_OPERATIONS, type HfJobsArgs, type JobOperation } from './jobs-schema.js';
export {
  isTerminalStage,
  TERMINAL_STAGES,
  type JobInfo,
  type ScheduledJobInfo,
  type WhoAmI,
} from './jobs-shapes.js';
export { commandSummary, formatTime, jobUrl } from './job-format.js';
export { logLines, type LogEnd, type LogTail, type LogTailOptions } from './log-tail.js';
export { jobsNamespace } from './namespace.js';
export { formatDuration, parseTimeout, tryParseTimeout } from './timeout.js';
