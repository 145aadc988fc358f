import type { ToolServices } from '../tool-services.js';
import { approvalOf, launchTerms, type JobApproval } from './approval.js';
import { estimateJobCost, type JobCostEstimate } from './cost.js';
import { findFlavor, hardwareCatalog } from './hardware-catalog.js';
import type { HardwareCatalog } from './hardware-shapes.js';
import type { JobsConfig } from './jobs-config.js';
import type { HfJobsArgs } from './jobs-schema.js';

/** What an approval card shows for an `hf_jobs` call. */
export interface JobCallEstimate {
  /** `undefined`: the call does not ask. */
  approval: JobApproval | undefined;
  /** Price × timeout of a `run` / `scheduled run` (asking or not); `undefined` for other operations or without a price or timeout. */
  estimate: JobCostEstimate | undefined;
  /** Why a launch has no estimate ("no price for flavor x", "unreadable timeout"). */
  noEstimate?: string;
  catalog: HardwareCatalog;
}

/**
 * The approval and the estimate of one call, against the live catalog (cached 6 h; the built-in
 * table when the Hub is away): what the agent core puts on the card and checks against a budget.
 */
export async function estimateJobCall(
  services: Pick<ToolServices, 'hub' | 'cache' | 'logger'>,
  args: HfJobsArgs,
  jobs: Pick<JobsConfig, 'confirmCpuJobs' | 'defaultTimeout'>,
): Promise<JobCallEstimate> {
  const catalog = await hardwareCatalog(services);
  const approval = approvalOf(args, jobs, catalog.flavors);
  // Priced whether or not it asks: a CPU run that runs unasked still adds to the session's cost.
  const launch = launchTerms(args, jobs);
  if (!launch) return { approval, estimate: undefined, catalog };
  const flavor = findFlavor(catalog, launch.flavor);
  if (!flavor)
    return { approval, estimate: undefined, noEstimate: `no price for flavor "${launch.flavor}"`, catalog };
  if (launch.timeoutSeconds === undefined) {
    return { approval, estimate: undefined, noEstimate: 'the timeout cannot be read', catalog };
  }
  const estimate = estimateJobCost(flavor, launch.timeoutSeconds, catalog);
  return estimate
    ? { approval, estimate, catalog }
    : { approval, estimate: undefined, noEstimate: `no readable price for flavor "${flavor.name}"`, catalog };
}
