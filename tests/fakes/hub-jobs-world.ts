import { randomBytes } from 'node:crypto';
import type { LoopbackRequest } from './loopback-http.js';

/**
 * The state behind the fake Jobs API: accounts (tokens → user and orgs), jobs with labels and a
 * scripted stage timeline, their log lines, scheduled jobs, the hardware price list, and the knobs a
 * test turns (hold a launch open, refuse a namespace's launches for billing, drop a log stream).
 */

/** `JobStage` (`huggingface_hub` `_jobs_api.py`), and `SCHEDULING` before a job runs. */
export type FakeJobStage = 'SCHEDULING' | 'RUNNING' | 'COMPLETED' | 'CANCELED' | 'ERROR' | 'DELETED';

/**
 * One step of a job's life: it holds for `gets` reads of `GET /api/jobs/{ns}/{id}`, or for `ms` from
 * the end of the step before; the last step holds for good.
 */
export interface StageStep {
  stage: FakeJobStage;
  message?: string | null;
  gets?: number;
  ms?: number;
}

export interface FakeJobsAccount {
  user: string;
  orgs: string[];
}

export interface FakeJob {
  id: string;
  namespace: string;
  createdAt: string;
  createdMs: number;
  startedAt: string | null;
  finishedAt: string | null;
  dockerImage: string | null;
  spaceId: string | null;
  command: string[];
  arguments: string[];
  environment: Record<string, string>;
  /** The secret values as sent (the API never returns them; tests read them here). */
  secretValues: Record<string, string>;
  flavor: string;
  timeoutSeconds: number | null;
  labels: Record<string, string>;
  owner: { id: string; name: string; type: 'user' | 'org' };
  initiator: { type: 'user'; id: string; name: string };
  timeline: StageStep[];
  /** Reads of `GET /api/jobs/{ns}/{id}` so far (what `gets` steps count). */
  gets: number;
  canceled: boolean;
  logs: string[];
  /** The log stream sends this many lines, then the connection breaks. */
  dropLogsAfter?: number;
  /** `expose.ports` of the spec (HF Sandboxes expose 49983); absent when none. */
  exposePorts?: number[];
  /** `volumes` of the spec, as sent. */
  volumes?: unknown[];
}

export interface FakeScheduledJob {
  id: string;
  namespace: string;
  schedule: string;
  suspend: boolean;
  concurrency: boolean;
  createdAt: string;
  updatedAt: string;
  jobSpec: {
    dockerImage: string | null;
    spaceId: string | null;
    command: string[];
    arguments: string[];
    environment: Record<string, string>;
    secretValues: Record<string, string>;
    flavor: string;
    timeoutSeconds: number | null;
    labels: Record<string, string>;
  };
  owner: { id: string; name: string; type: 'user' | 'org' };
}

export interface HubJobsWorld {
  accounts: Map<string, FakeJobsAccount>;
  /** Oldest first. */
  jobs: FakeJob[];
  scheduled: FakeScheduledJob[];
  /** The answer of `GET /api/jobs/hardware`. */
  hardware: unknown[];
  /** Namespaces whose launches answer 402 (no credits). */
  unpaid: Set<string>;
  /** The timeline and logs of the next jobs launched. */
  nextTimeline: StageStep[];
  nextLogs: string[];
  /** Hold a launch: the job is created, then the answer never comes (`hang`) or comes late. */
  holdRun?: { hang: true } | { delayMs: number };
  /** Every `POST /api/jobs/{namespace}` received, in order. */
  runRequests: LoopbackRequest[];
  /** Every `POST /api/scheduled-jobs/{namespace}` received. */
  scheduledRequests: LoopbackRequest[];
  /**
   * The URL a job's exposed port is reached at (`status.exposeUrls`). The Hub answers
   * `https://<job_id>--<port>.hf.jobs`; a test points it at a loopback server instead.
   */
  exposeUrl?: (job: FakeJob, port: number) => string;
}

export function createHubJobsWorld(options: { hardware?: unknown[] } = {}): HubJobsWorld {
  return {
    accounts: new Map(),
    jobs: [],
    scheduled: [],
    hardware: options.hardware ?? structuredClone([...FAKE_HARDWARE]),
    unpaid: new Set(),
    nextTimeline: [{ stage: 'SCHEDULING', gets: 1 }, { stage: 'RUNNING' }],
    nextLogs: ['Installed 42 packages in 1.2s', 'step 1: loss 2.31', 'step 2: loss 1.87'],
    runRequests: [],
    scheduledRequests: [],
  };
}

export function addJobsAccount(
  world: HubJobsWorld,
  token: string,
  account: { user: string; orgs?: string[] },
): FakeJobsAccount {
  const created = { user: account.user, orgs: account.orgs ?? [] };
  world.accounts.set(token, created);
  return created;
}

/** A 24-hex-digit id, as the Hub's job ids are (Mongo object ids). */
export function fakeJobId(): string {
  return randomBytes(12).toString('hex');
}

/** Gives job `id` a new timeline, counted from now (`gets` restart too). */
export function scriptJob(world: HubJobsWorld, id: string, timeline: StageStep[]): FakeJob {
  const job = findJob(world, id);
  if (!job) throw new Error(`no fake job ${id}`);
  job.timeline = timeline;
  job.gets = 0;
  job.createdMs = Date.now();
  return job;
}

export function findJob(world: HubJobsWorld, id: string): FakeJob | undefined {
  return world.jobs.find((job) => job.id === id);
}

/**
 * The stage of `job` now, from its timeline (a cancel wins). Reaching RUNNING stamps `startedAt`,
 * reaching an end stamps `finishedAt`, as the Hub's answers carry them.
 */
export function stageOf(job: FakeJob, now = Date.now()): StageStep {
  const step = job.canceled
    ? { stage: 'CANCELED' as const, message: 'Canceled by user' }
    : timelineStep(job, now);
  if (step.stage !== 'SCHEDULING' && job.startedAt === null) job.startedAt = new Date(now).toISOString();
  if (isEnd(step.stage) && job.finishedAt === null) job.finishedAt = new Date(now).toISOString();
  return step;
}

function timelineStep(job: FakeJob, now: number): StageStep {
  let gets = job.gets;
  let elapsed = now - job.createdMs;
  for (const step of job.timeline) {
    if (step.gets !== undefined) {
      if (gets < step.gets) return step;
      gets -= step.gets;
    } else if (step.ms !== undefined) {
      if (elapsed < step.ms) return step;
      elapsed -= step.ms;
    } else {
      return step;
    }
  }
  return job.timeline.at(-1) ?? { stage: 'RUNNING' };
}

export function isEnd(stage: FakeJobStage): boolean {
  return stage === 'COMPLETED' || stage === 'CANCELED' || stage === 'ERROR' || stage === 'DELETED';
}

/** A flavor of `GET /api/jobs/hardware` (`JobHardware` / `ApiJobHardware`), priced per minute. */
function flavor(
  name: string,
  prettyName: string,
  cpu: string,
  ram: string,
  ephemeralStorage: string,
  accelerator: { model: string; quantity: string; vram: string } | null,
  hourlyUsd: number,
): Record<string, unknown> {
  const unitCostMicroUSD = Math.round((hourlyUsd * 1_000_000) / 60);
  return {
    name,
    prettyName,
    cpu,
    ram,
    ephemeralStorage,
    accelerator: accelerator ? { type: 'gpu', manufacturer: 'Nvidia', ...accelerator } : null,
    unitCostMicroUSD,
    unitCostUSD: unitCostMicroUSD / 1_000_000,
    unitLabel: 'minute',
  };
}

/** Part of the Hub's list (`hf jobs hardware`, hub-docs "Jobs configuration"): names, specs, prices. */
export const FAKE_HARDWARE: readonly Record<string, unknown>[] = [
  flavor('cpu-basic', 'CPU Basic', '2 vCPU', '16 GB', '50 GB', null, 0.01),
  flavor('cpu-upgrade', 'CPU Upgrade', '8 vCPU', '32 GB', '50 GB', null, 0.03),
  flavor(
    't4-small',
    'Nvidia T4 - small',
    '4 vCPU',
    '15 GB',
    '50 GB',
    { model: 'T4', quantity: '1', vram: '16 GB' },
    0.4,
  ),
  flavor(
    't4-medium',
    'Nvidia T4 - medium',
    '8 vCPU',
    '30 GB',
    '100 GB',
    { model: 'T4', quantity: '1', vram: '16 GB' },
    0.6,
  ),
  flavor(
    'l4x1',
    '1x Nvidia L4',
    '8 vCPU',
    '30 GB',
    '400 GB',
    { model: 'L4', quantity: '1', vram: '24 GB' },
    0.8,
  ),
  flavor(
    'a10g-small',
    'Nvidia A10G - small',
    '4 vCPU',
    '15 GB',
    '110 GB',
    { model: 'A10G', quantity: '1', vram: '24 GB' },
    1,
  ),
  flavor(
    'a10g-large',
    'Nvidia A10G - large',
    '12 vCPU',
    '46 GB',
    '200 GB',
    { model: 'A10G', quantity: '1', vram: '24 GB' },
    1.5,
  ),
  flavor(
    'a100-large',
    'Nvidia A100 - large',
    '12 vCPU',
    '142 GB',
    '1000 GB',
    { model: 'A100', quantity: '1', vram: '80 GB' },
    2.5,
  ),
  flavor(
    'h200',
    'Nvidia H200',
    '23 vCPU',
    '256 GB',
    '3000 GB',
    { model: 'H200', quantity: '1', vram: '141 GB' },
    5,
  ),
];
