import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ServiceError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import type { ToolServices } from '../tool-services.js';
import { approvalOf, launchTerms } from './approval.js';
import { estimateJobCall } from './call-estimate.js';
import { jobsCall, type JobsCall } from './call-context.js';
import { formatPerMinute, formatUsd, pricePerSecondUsd, type JobCostEstimate } from './cost.js';
import { FALLBACK_HARDWARE } from './hardware-fallback.js';
import { JobsApi } from './jobs-api.js';
import {
  DEFAULT_LOG_LISTEN,
  DEFAULT_TIMEOUT_MS,
  type JobsConfig,
  type JobsToolOptions,
} from './jobs-config.js';
import { hfJobsParameters, type HfJobsArgs } from './jobs-schema.js';
import { formatDuration } from './timeout.js';
import { cancelOperation, inspectOperation, logsOperation, psOperation } from './read-operations.js';
import { runOperation } from './run-operation.js';
import {
  scheduledChangeOperation,
  scheduledInspectOperation,
  scheduledPsOperation,
  scheduledRunOperation,
} from './scheduled-operations.js';

/** The flavors named in the description, with their built-in hourly prices. */
const DESCRIBED_FLAVORS = [
  'cpu-basic',
  'cpu-upgrade',
  't4-small',
  'l4x1',
  'a10g-small',
  'a10g-large',
  'l40sx1',
  'a100-large',
  'h200',
];

function description(jobs: JobsConfig): string {
  const prices = FALLBACK_HARDWARE.filter((flavor) => DESCRIBED_FLAVORS.includes(flavor.name)).map(
    (flavor) => {
      const perSecond = pricePerSecondUsd(flavor) ?? 0;
      const vram = flavor.accelerator ? ` ${flavor.accelerator.vram}` : '';
      return `${flavor.name}${vram} ${formatUsd(perSecond * 3_600, 'nearest')}/h`;
    },
  );
  return [
    'Run Python scripts or Docker commands on Hugging Face Jobs (cloud CPUs and GPUs, billed per minute to the namespace).',
    '',
    'run takes exactly one of:',
    '- script (the Python code itself, or an http(s) URL of it) + dependencies: runs as `uv run --with <dep>… <script>` in ghcr.io/astral-sh/uv:python3.12-bookworm;',
    '- command (+ image, default python:3.12): a Docker command.',
    'run answers at once with the job id and URL; the job goes on alone. Look at it later with inspect or logs (the last lines); never poll in a loop.',
    '',
    'Before a training run: base the script on a working example (github_find_examples, github_read_file) and check the dataset (hf_inspect_dataset). Job storage is lost when the job ends: the script must push_to_hub (with hub_model_id). HF_TOKEN reaches every job as a secret.',
    `Timeout: default ${jobs.defaultTimeout}, and the job is stopped at it; training needs hours ("4h"). A GPU run waits for a human to approve it with its cost (price × timeout)${jobs.confirmCpuJobs ? ', and so does a CPU run' : ''}; every scheduled change does too.`,
    'On CUDA out of memory: lower per_device_train_batch_size and raise gradient_accumulation_steps by the same factor, turn on gradient_checkpointing, or pick a bigger GPU; do not change the method without asking.',
    '',
    `Hardware (hardware_flavor): ${prices.join(', ')}; more (a10g-largex2/x4, a100x4/x8, l40sx4/x8, h200x2…): an unknown name is refused with the full list. a10g-small and a10g-large share one 24 GB GPU.`,
    '',
    'Operations: run, ps, logs, inspect, cancel, scheduled run (schedule: "@daily" or cron), scheduled ps, scheduled inspect, scheduled delete, scheduled suspend, scheduled resume.',
    'Examples:',
    '{"operation": "run", "script": "from datasets import load_dataset\\n...", "dependencies": ["transformers", "trl", "torch", "datasets"], "hardware_flavor": "a10g-large", "timeout": "4h"}',
    '{"operation": "run", "command": ["duckdb", "-c", "select 1 + 2"], "image": "duckdb/duckdb", "timeout": "10m"}',
    '{"operation": "logs", "job_id": "6650c6b2f1d2a1b3c4d5e6f7"}',
  ].join('\n');
}

/**
 * `hf_jobs`: runs on HF Jobs and everything around them. Launches never wait for the job; each
 * carries its call's label so it is never launched twice. Asks per {@link approvalOf}.
 */
export function hfJobsTool(services: ToolServices, options: JobsToolOptions): AnyToolSpec {
  const jobs = options.jobs;
  const logs = { ...DEFAULT_LOG_LISTEN, ...options.logs };
  return defineTool({
    name: 'hf_jobs',
    description: description(jobs),
    parameters: hfJobsParameters,
    // A launch interrupted mid-call may have started a job: it must never be replayed blindly.
    sideEffects: true,
    readOnly: ['ps', 'logs', 'inspect', 'scheduled ps', 'scheduled inspect'],
    needsApproval: (args) => approvalOf(args, jobs)?.reason,
    // Every scheduled change asks, even in yolo mode.
    alwaysAsk: (args) => {
      const approval = approvalOf(args, jobs);
      return approval?.alwaysAsk ? approval.reason : undefined;
    },
    // The card's figures: price × timeout of a launch (asking or not), none for other operations.
    quote: async (args) => {
      // Only launches cost money: reads are not priced, and need no hardware list.
      if (!launchTerms(args, jobs)) return undefined;
      const { estimate, noEstimate } = await estimateJobCall(services, args, jobs);
      if (estimate) return { usd: estimate.usd, basis: quoteBasis(estimate) };
      return { usd: undefined, basis: noEstimate ?? 'no price is known' };
    },
    async execute(args, ctx) {
      const api = new JobsApi(services.hub, {
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: ctx.signal,
      });
      const call = jobsCall({ api, services, jobs, logs, toolCallId: ctx.toolCallId, signal: ctx.signal });
      const token = services.hub.token?.trim();
      try {
        if (args.operation === 'run') {
          const outcome = await runOperation(call, args);
          const output = trimOutput(redact(outcome.text, token), undefined, 'inspect the job');
          const { estimate } = await estimateJobCall(services, args, jobs);
          const charged = outcome.how !== 'found' && estimate !== undefined;
          // The watcher follows the job from here: its card in the thread, its end reported.
          await ctx.watchJob?.({
            namespace: outcome.namespace,
            jobId: outcome.job.id,
            flavor: estimate?.flavor.name ?? launchTerms(args, jobs)?.flavor ?? 'unknown',
            ...(charged ? { estimateUsd: estimate.usd } : {}),
            ...(estimate ? { usdPerSecond: estimate.perMinuteUsd / 60 } : {}),
          });
          // The estimate is the session's cost of the job until the job ends and its real cost is known.
          return charged ? { output, spendUsd: estimate.usd } : { output };
        }
        const output = await dispatch(call, args);
        return { output: trimOutput(redact(output, token), undefined, 'inspect one job, or read its logs') };
      } catch (err) {
        // A message never carries the token, even if a server echoed it.
        if (token && err instanceof Error && err.message.includes(token)) {
          throw new ServiceError(redact(err.message, token), { cause: err });
        }
        throw err;
      }
    },
  });
}

function dispatch(call: JobsCall, args: HfJobsArgs): Promise<string> {
  switch (args.operation) {
    case 'run':
      return runOperation(call, args).then((outcome) => outcome.text);
    case 'ps':
      return psOperation(call);
    case 'logs':
      return logsOperation(call, args);
    case 'inspect':
      return inspectOperation(call, args);
    case 'cancel':
      return cancelOperation(call, args);
    case 'scheduled run':
      return scheduledRunOperation(call, args);
    case 'scheduled ps':
      return scheduledPsOperation(call);
    case 'scheduled inspect':
      return scheduledInspectOperation(call, args);
    case 'scheduled delete':
      return scheduledChangeOperation(call, args, 'delete');
    case 'scheduled suspend':
      return scheduledChangeOperation(call, args, 'suspend');
    case 'scheduled resume':
      return scheduledChangeOperation(call, args, 'resume');
  }
}

/** "a10g-large (1x A10G, 24 GB) for 2h at $0.0250/min". */
function quoteBasis(estimate: JobCostEstimate): string {
  const { flavor } = estimate;
  const gpu = flavor.accelerator
    ? `, ${flavor.accelerator}${flavor.vram ? ` ${flavor.vram}` : ''}`
    : `, ${flavor.cpu} CPU, ${flavor.ram}`;
  return `${flavor.prettyName || flavor.name} (${flavor.name}${gpu}) for ${formatDuration(estimate.timeoutSeconds)} at ${formatPerMinute(estimate.perMinuteUsd)}`;
}

function redact(text: string, token: string | undefined): string {
  return token ? text.split(token).join('[HF_TOKEN]') : text;
}
