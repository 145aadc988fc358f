import {
  createScheduledJob,
  deleteScheduledJob,
  getJob,
  getScheduledJob,
  listJobHardware,
  listScheduledJobs,
  resumeScheduledJob,
  runJob,
  streamJobLogs,
  suspendScheduledJob,
  type SpaceHardwareFlavor,
} from '@huggingface/hub';
import { hubAccess, type HubAccess } from '../repos/hub-access.js';
import { ServiceError } from '../shared/service-error.js';
import type { ServiceEndpoints } from '../tool-services.js';
import { DEFAULT_TIMEOUT_MS } from './jobs-config.js';
import { JOBS_SERVICE, jobsFailure, malformedAnswer, viaJobsApi } from './jobs-errors.js';
import { jobsFetch, jobsRequest, jobsRequestJson } from './jobs-http.js';
import { jobHardwareShape, type JobHardware } from './hardware-shapes.js';
import {
  jobInfoShape,
  readShape,
  scheduledJobShape,
  whoamiShape,
  type JobInfo,
  type ScheduledJobInfo,
  type WhoAmI,
} from './jobs-shapes.js';
import { readLogTail, type LogTail, type LogTailOptions } from './log-tail.js';

/** What a job is launched with: the body of `POST /api/jobs/{namespace}` (`_create_job_spec`). */
export interface JobLaunch {
  dockerImage: string;
  command: string[];
  environment: Record<string, string>;
  /** Encrypted by the Hub; the API never gives their values back. `HF_TOKEN` goes here, never in `environment`. */
  secrets: Record<string, string>;
  flavor: string;
  timeoutSeconds: number;
  labels: Record<string, string>;
}

export interface JobsApiOptions {
  /** Per-request timeout, ms (default 30 s). */
  timeoutMs?: number;
  /** Aborts every request (the turn's signal); a watcher without one passes none. */
  signal?: AbortSignal;
}

/**
 * The Hugging Face Jobs API for one token: `@huggingface/hub`'s jobs functions where they fit, plain
 * HTTP where they do not (listing by label, cancel, whoami), all through the shared HTTP client.
 * Every answer is checked against the shapes `huggingface_hub` reads; every failure is a
 * `ServiceError` worded for the model. Used by `hf_jobs` and by the job watcher.
 */
export class JobsApi {
  readonly access: HubAccess;

  constructor(hub: ServiceEndpoints['hub'], options: JobsApiOptions = {}) {
    this.access = hubAccess(
      hub,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      options.signal ?? new AbortController().signal,
    );
  }

  /** The token the Jobs API needs; without one it would answer 401, so say so first. */
  token(): string {
    if (!this.access.token) {
      throw new ServiceError(
        `Hugging Face Jobs need a token, and HF_TOKEN is not set. ${JOBS_SERVICE.authHint}`,
        { status: 401 },
      );
    }
    return this.access.token;
  }

  /** `GET /api/whoami-v2`: the token owner and their orgs (the namespaces jobs may run under). */
  async whoami(): Promise<WhoAmI> {
    const token = this.token();
    const answer = await viaJobsApi(this.access.signal, 'the token owner', () =>
      jobsRequestJson<unknown>({ ...this.access, token }, '/api/whoami-v2'),
    );
    return readShape(whoamiShape, answer, 'the token owner (whoami-v2)');
  }

  /** `GET /api/jobs/hardware` (public): every flavor and its price; malformed entries are dropped. */
  async hardware(): Promise<JobHardware[]> {
    const answer: unknown = await viaJobsApi(this.access.signal, 'the Jobs hardware list', () =>
      listJobHardware({
        ...this.library(),
        ...(this.access.token ? { accessToken: this.access.token } : {}),
      }),
    );
    if (!Array.isArray(answer)) throw malformedAnswer('the Jobs hardware list');
    const flavors = answer.flatMap((entry) => {
      const parsed = jobHardwareShape.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
    if (flavors.length === 0) throw malformedAnswer('the Jobs hardware list');
    return flavors;
  }

  /** `POST /api/jobs/{namespace}`: launches and answers at once (the job is SCHEDULING or RUNNING). */
  async run(namespace: string, launch: JobLaunch): Promise<JobInfo> {
    const answer: unknown = await viaJobsApi(this.access.signal, `a job in ${namespace}`, () =>
      runJob({
        ...this.credentials(),
        namespace,
        dockerImage: launch.dockerImage,
        command: launch.command,
        environment: launch.environment,
        secrets: launch.secrets,
        flavor: launch.flavor as SpaceHardwareFlavor,
        timeoutSeconds: launch.timeoutSeconds,
        labels: launch.labels,
      }),
    );
    return readShape(jobInfoShape, answer, 'the launched job');
  }

  /** `GET /api/jobs/{namespace}/{id}`. */
  async get(namespace: string, jobId: string): Promise<JobInfo> {
    const answer: unknown = await viaJobsApi(this.access.signal, `job ${jobId}`, () =>
      getJob({ ...this.credentials(), namespace, jobId }),
    );
    return readShape(jobInfoShape, answer, `job ${jobId}`);
  }

  /**
   * `GET /api/jobs/{namespace}[?label=key=value…]`: the namespace's jobs. The Hub filters by label
   * (`list_jobs(labels=…)`, several labels match any); an older Hub lists everything, so callers
   * that need an exact match filter again ({@link findByLabel}).
   */
  async list(namespace: string, filter: { labels?: Record<string, string> } = {}): Promise<JobInfo[]> {
    const token = this.token();
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter.labels ?? {})) query.append('label', `${key}=${value}`);
    const answer = await viaJobsApi(this.access.signal, `the jobs of ${namespace}`, () =>
      jobsRequestJson<unknown>(
        { ...this.access, token },
        `/api/jobs/${encodeURIComponent(namespace)}`,
        query.size > 0 ? { searchParams: query } : {},
      ),
    );
    if (!Array.isArray(answer)) throw malformedAnswer(`the jobs of ${namespace}`);
    return answer.map((job) => readShape(jobInfoShape, job, `the jobs of ${namespace}`));
  }

  /** The job of `namespace` whose label `key` is exactly `value` (the newest if several), if any. */
  async findByLabel(namespace: string, key: string, value: string): Promise<JobInfo | undefined> {
    const jobs = await this.list(namespace, { labels: { [key]: value } });
    return newestFirst(jobs.filter((job) => job.labels?.[key] === value))[0];
  }

  /**
   * `POST /api/jobs/{namespace}/{id}/cancel`. Plain HTTP: `huggingface_hub` reads no body from it,
   * so the job's state is read back with a GET when the answer holds none.
   */
  async cancel(namespace: string, jobId: string): Promise<JobInfo> {
    const token = this.token();
    const response = await viaJobsApi(this.access.signal, `the cancel of job ${jobId}`, () =>
      jobsRequest(
        { ...this.access, token },
        `/api/jobs/${encodeURIComponent(namespace)}/${encodeURIComponent(jobId)}/cancel`,
        { method: 'post' },
      ),
    );
    const text = await response.text().catch(() => '');
    const parsed = jobInfoShape.safeParse(safeJson(text));
    return parsed.success ? parsed.data : this.get(namespace, jobId);
  }

  /** The tail of a job's logs (`GET /api/jobs/{namespace}/{id}/logs`, SSE), read as {@link readLogTail} says. */
  async logTail(namespace: string, jobId: string, options: LogTailOptions): Promise<LogTail> {
    const stop = new AbortController();
    const access: HubAccess = { ...this.access, signal: AbortSignal.any([this.access.signal, stop.signal]) };
    const stream = streamJobLogs({
      hubUrl: access.url,
      fetch: jobsFetch(access),
      accessToken: this.token(),
      namespace,
      jobId,
    });
    try {
      return await readLogTail(stream, () => stop.abort(), options);
    } catch (err) {
      throw jobsFailure(err, this.access.signal, `the logs of job ${jobId}`);
    }
  }

  /** `POST /api/scheduled-jobs/{namespace}`: a job spec run on a cron schedule. */
  async createScheduled(namespace: string, schedule: string, launch: JobLaunch): Promise<ScheduledJobInfo> {
    const answer: unknown = await viaJobsApi(this.access.signal, `a scheduled job in ${namespace}`, () =>
      createScheduledJob({
        ...this.credentials(),
        namespace,
        schedule,
        suspend: false,
        concurrency: false,
        jobSpec: {
          dockerImage: launch.dockerImage,
          command: launch.command,
          environment: launch.environment,
          secrets: launch.secrets,
          flavor: launch.flavor as SpaceHardwareFlavor,
          timeoutSeconds: launch.timeoutSeconds,
          labels: launch.labels,
        },
      }),
    );
    return readShape(scheduledJobShape, answer, 'the scheduled job');
  }

  /** `GET /api/scheduled-jobs/{namespace}`. */
  async listScheduled(namespace: string): Promise<ScheduledJobInfo[]> {
    const answer: unknown = await viaJobsApi(this.access.signal, `the scheduled jobs of ${namespace}`, () =>
      listScheduledJobs({ ...this.credentials(), namespace }),
    );
    if (!Array.isArray(answer)) throw malformedAnswer(`the scheduled jobs of ${namespace}`);
    return answer.map((job) => readShape(scheduledJobShape, job, `the scheduled jobs of ${namespace}`));
  }

  /** `GET /api/scheduled-jobs/{namespace}/{id}`. */
  async getScheduled(namespace: string, id: string): Promise<ScheduledJobInfo> {
    const answer: unknown = await viaJobsApi(this.access.signal, `scheduled job ${id}`, () =>
      getScheduledJob({ ...this.credentials(), namespace, jobId: id }),
    );
    return readShape(scheduledJobShape, answer, `scheduled job ${id}`);
  }

  /** `DELETE /api/scheduled-jobs/{namespace}/{id}`. */
  deleteScheduled(namespace: string, id: string): Promise<void> {
    return viaJobsApi(this.access.signal, `scheduled job ${id}`, () =>
      deleteScheduledJob({ ...this.credentials(), namespace, jobId: id }),
    );
  }

  /** `POST /api/scheduled-jobs/{namespace}/{id}/suspend`. */
  suspendScheduled(namespace: string, id: string): Promise<void> {
    return viaJobsApi(this.access.signal, `scheduled job ${id}`, () =>
      suspendScheduledJob({ ...this.credentials(), namespace, jobId: id }),
    );
  }

  /** `POST /api/scheduled-jobs/{namespace}/{id}/resume`. */
  resumeScheduled(namespace: string, id: string): Promise<void> {
    return viaJobsApi(this.access.signal, `scheduled job ${id}`, () =>
      resumeScheduledJob({ ...this.credentials(), namespace, jobId: id }),
    );
  }

  private library(): { hubUrl: string; fetch: typeof fetch } {
    return { hubUrl: this.access.url, fetch: jobsFetch(this.access) };
  }

  private credentials(): { hubUrl: string; fetch: typeof fetch; accessToken: string } {
    return { ...this.library(), accessToken: this.token() };
  }
}

/** Jobs newest first (by `createdAt`; jobs without one last). */
export function newestFirst<T extends { createdAt?: string | null | undefined }>(jobs: readonly T[]): T[] {
  const time = (job: T): number => Date.parse(job.createdAt ?? '') || 0;
  return [...jobs].sort((a, b) => time(b) - time(a));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
