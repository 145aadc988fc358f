import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';
import {
  fakeJobId,
  isEnd,
  stageOf,
  type FakeJob,
  type FakeJobsAccount,
  type FakeScheduledJob,
  type HubJobsWorld,
} from './hub-jobs-world.js';

export * from './hub-jobs-world.js';

/**
 * The Hugging Face Jobs API on loopback, speaking what `@huggingface/hub` (`src/lib/jobs/*`) and
 * `huggingface_hub` (`hf_api.py`, `_jobs_api.py`) send and read:
 * - `GET /api/whoami-v2`: the token owner and orgs;
 * - `GET /api/jobs/hardware`: flavors and prices (`unitCostUSD` per `unitLabel`);
 * - `POST /api/jobs/{ns}` (the job spec of `_create_job_spec`) → the job; `GET /api/jobs/{ns}`
 *   with the server-side `?label=key=value` (several match any) and `?status=` filters of
 *   `list_jobs`; `GET /api/jobs/{ns}/{id}`; `POST …/{id}/cancel`;
 * - `GET /api/jobs/{ns}/{id}/logs`: SSE, one `data: {"data": "<line>", "timestamp": "…"}` per line,
 *   left open while the job runs, closed when it has ended, broken mid-way when a test says so;
 * - `/api/scheduled-jobs/{ns}[/{id}[/suspend|/resume]]`: create, list, get, delete, suspend, resume.
 * Secrets are kept but never answered (the API lists their names only, as `hf jobs inspect` shows).
 * A spec's `expose: {ports}` (`_create_job_spec`) is answered in `status.exposeUrls` once the job
 * runs (`JobInfo.status.expose_urls`), and its `volumes` are kept.
 * `/api/jobs/hardware` comes before `/api/jobs/{ns}`, as on the Hub.
 */
export function hubJobsRoutes(world: HubJobsWorld): Route[] {
  return [
    { method: 'GET', path: '/api/whoami-v2', handle: (req) => whoami(world, req) },
    { method: 'GET', path: '/api/jobs/hardware', handle: () => ({ body: world.hardware }) },
    { method: 'POST', path: '/api/jobs/:namespace', handle: (req) => runJob(world, req) },
    { method: 'GET', path: '/api/jobs/:namespace', handle: (req) => listJobs(world, req) },
    { method: 'GET', path: '/api/jobs/:namespace/:id', handle: (req) => getJob(world, req) },
    { method: 'POST', path: '/api/jobs/:namespace/:id/cancel', handle: (req) => cancelJob(world, req) },
    { method: 'GET', path: '/api/jobs/:namespace/:id/logs', handle: (req) => jobLogs(world, req) },
    { method: 'POST', path: '/api/scheduled-jobs/:namespace', handle: (req) => createScheduled(world, req) },
    { method: 'GET', path: '/api/scheduled-jobs/:namespace', handle: (req) => listScheduled(world, req) },
    { method: 'GET', path: '/api/scheduled-jobs/:namespace/:id', handle: (req) => getScheduled(world, req) },
    {
      method: 'DELETE',
      path: '/api/scheduled-jobs/:namespace/:id',
      handle: (req) => deleteScheduled(world, req),
    },
    {
      method: 'POST',
      path: '/api/scheduled-jobs/:namespace/:id/suspend',
      handle: (req) => setSuspended(world, req, true),
    },
    {
      method: 'POST',
      path: '/api/scheduled-jobs/:namespace/:id/resume',
      handle: (req) => setSuspended(world, req, false),
    },
  ];
}

/** The Hub's error body: `{"error": "<sentence>"}`. */
function hubError(status: number, error: string): LoopbackAnswer {
  return { status, body: { error } };
}

function caller(world: HubJobsWorld, req: LoopbackRequest): FakeJobsAccount | LoopbackAnswer {
  const account = req.token ? world.accounts.get(req.token) : undefined;
  return account ?? hubError(401, 'Invalid credentials in Authorization header');
}

/** The caller, allowed in `:namespace` (their user or one of their orgs), or the Hub's refusal. */
function member(world: HubJobsWorld, req: LoopbackRequest): FakeJobsAccount | LoopbackAnswer {
  const account = caller(world, req);
  if (isAnswer(account)) return account;
  const namespace = req.params.namespace ?? '';
  if (namespace !== account.user && !account.orgs.includes(namespace)) {
    return hubError(403, `You don't have access to the namespace ${namespace}`);
  }
  return account;
}

function isAnswer(value: FakeJobsAccount | LoopbackAnswer): value is LoopbackAnswer {
  return !('user' in value);
}

function whoami(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  const account = caller(world, req);
  if (isAnswer(account)) return account;
  return {
    body: {
      type: 'user',
      id: `66a0b0c0d0e0f0000000${account.user.length.toString(16).padStart(4, '0')}`,
      name: account.user,
      fullname: account.user,
      isPro: true,
      orgs: account.orgs.map((name) => ({ type: 'org', name, fullname: name, roleInOrg: 'write' })),
      auth: { type: 'access_token', accessToken: { displayName: 'ml-intern-bot', role: 'write' } },
    },
  };
}

function ownerOf(namespace: string, account: FakeJobsAccount): FakeJob['owner'] {
  return { id: `id-${namespace}`, name: namespace, type: namespace === account.user ? 'user' : 'org' };
}

/** `JobInfo` as the API answers it: secrets by name only. */
function jobJson(job: FakeJob): Record<string, unknown> {
  const step = stageOf(job);
  return {
    id: job.id,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    dockerImage: job.dockerImage,
    spaceId: job.spaceId,
    command: job.command,
    arguments: job.arguments,
    environment: job.environment,
    secrets: Object.keys(job.secretValues),
    flavor: job.flavor,
    timeoutSeconds: job.timeoutSeconds,
    labels: job.labels,
    status: {
      stage: step.stage,
      message: step.message ?? null,
      ...(job.exposePorts ? { exposeUrls: exposeUrls(job, step.stage) } : {}),
    },
    ...(job.volumes ? { volumes: job.volumes } : {}),
    owner: job.owner,
    initiator: job.initiator,
  };
}

/** The proxy URLs of a job's exposed ports: published once it runs, as the Hub does. */
function exposeUrls(job: FakeJob, stage: string): string[] | null {
  if (stage !== 'RUNNING') return null;
  return (job.exposePorts ?? []).map(
    (port) => currentWorld.get(job)?.exposeUrl?.(job, port) ?? `https://${job.id}--${port}.hf.jobs`,
  );
}

/** The world that created a job (its `exposeUrl` answers the job's URLs). */
const currentWorld = new WeakMap<FakeJob, HubJobsWorld>();

interface SpecBody {
  dockerImage?: string;
  spaceId?: string;
  command?: string[];
  arguments?: string[];
  environment?: Record<string, string>;
  secrets?: Record<string, string>;
  flavor?: string;
  timeoutSeconds?: number;
  labels?: Record<string, string>;
  expose?: { ports?: number[] };
  volumes?: unknown[];
}

/** The checks the Hub makes on a job spec: an image, a known flavor. */
function specProblem(world: HubJobsWorld, spec: SpecBody): string | undefined {
  if (!spec.dockerImage && !spec.spaceId) return 'Either dockerImage or spaceId must be provided';
  const names = world.hardware.map((entry) => (entry as { name?: string }).name);
  if (!spec.flavor || !names.includes(spec.flavor)) return `Invalid flavor: ${spec.flavor ?? '(none)'}`;
  return undefined;
}

function runJob(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  world.runRequests.push(req);
  const account = member(world, req);
  if (isAnswer(account)) return account;
  const namespace = req.params.namespace ?? '';
  if (world.unpaid.has(namespace)) {
    return hubError(402, 'Payment required: add credits to run Jobs in this namespace');
  }
  const spec = (req.json ?? {}) as SpecBody;
  const problem = specProblem(world, spec);
  if (problem) return hubError(400, problem);
  const now = Date.now();
  const job: FakeJob = {
    id: fakeJobId(),
    namespace,
    createdAt: new Date(now).toISOString(),
    createdMs: now,
    startedAt: null,
    finishedAt: null,
    dockerImage: spec.dockerImage ?? null,
    spaceId: spec.spaceId ?? null,
    command: spec.command ?? [],
    arguments: spec.arguments ?? [],
    environment: spec.environment ?? {},
    secretValues: spec.secrets ?? {},
    flavor: spec.flavor ?? 'cpu-basic',
    timeoutSeconds: spec.timeoutSeconds ?? null,
    labels: spec.labels ?? {},
    owner: ownerOf(namespace, account),
    initiator: { type: 'user', id: `id-${account.user}`, name: account.user },
    timeline: structuredClone(world.nextTimeline),
    gets: 0,
    canceled: false,
    logs: [...world.nextLogs],
    ...(spec.expose?.ports ? { exposePorts: spec.expose.ports } : {}),
    ...(spec.volumes ? { volumes: spec.volumes } : {}),
  };
  currentWorld.set(job, world);
  world.jobs.push(job);
  // A held launch: the job exists on the Hub, but the caller never (or only late) hears so.
  const hold = world.holdRun;
  if (hold && 'hang' in hold) return { hang: true };
  return { body: jobJson(job), ...(hold ? { delayMs: hold.delayMs } : {}) };
}

/** `?label=key=value` (or `?label=key`): jobs with any of them; `?status=`: jobs in any of those stages. */
function listJobs(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  const account = member(world, req);
  if (isAnswer(account)) return account;
  const labels = req.query.getAll('label').map((filter) => {
    const at = filter.indexOf('=');
    return at < 0
      ? { key: filter, value: undefined }
      : { key: filter.slice(0, at), value: filter.slice(at + 1) };
  });
  const stages = req.query
    .getAll('status')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const jobs = world.jobs
    .filter((job) => job.namespace === req.params.namespace)
    .filter(
      (job) =>
        labels.length === 0 ||
        labels.some(
          ({ key, value }) => key in job.labels && (value === undefined || job.labels[key] === value),
        ),
    )
    .filter((job) => stages.length === 0 || stages.includes(stageOf(job).stage))
    .reverse();
  return { body: jobs.map(jobJson) };
}

function jobIn(world: HubJobsWorld, req: LoopbackRequest): FakeJob | LoopbackAnswer {
  const account = member(world, req);
  if (isAnswer(account)) return account;
  const job = world.jobs.find((j) => j.id === req.params.id && j.namespace === req.params.namespace);
  return job ?? hubError(404, 'Job not found');
}

function getJob(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  const job = jobIn(world, req);
  if (!('id' in job)) return job;
  const body = jobJson(job);
  job.gets += 1;
  return { body };
}

function cancelJob(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  const job = jobIn(world, req);
  if (!('id' in job)) return job;
  if (!isEnd(stageOf(job).stage)) job.canceled = true;
  return { body: jobJson(job) };
}

/**
 * SSE, as the Hub streams it. An ended job's stream closes after its lines; a running job's stays
 * open (the body is declared longer than what is sent, so the client waits for more); a job with
 * `dropLogsAfter` sends that many lines, then the connection closes mid-body.
 */
function jobLogs(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  const job = jobIn(world, req);
  if (!('id' in job)) return job;
  const dropping = job.dropLogsAfter !== undefined;
  const lines = dropping ? job.logs.slice(0, job.dropLogsAfter) : job.logs;
  const start = Date.parse(job.createdAt);
  const body = lines
    .map(
      (line, i) =>
        `data: ${JSON.stringify({ data: line, timestamp: new Date(start + i * 1000).toISOString() })}\n\n`,
    )
    .join('');
  const open = dropping || !isEnd(stageOf(job).stage);
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
  };
  if (open) headers['content-length'] = String(Buffer.byteLength(body) + 1_000_000);
  if (dropping) headers.connection = 'close';
  return { body, headers };
}

function scheduledJson(job: FakeScheduledJob): Record<string, unknown> {
  const { secretValues, ...spec } = job.jobSpec;
  return {
    id: job.id,
    schedule: job.schedule,
    suspend: job.suspend,
    concurrency: job.concurrency,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    jobSpec: { ...spec, secrets: Object.keys(secretValues) },
    status: {
      lastJob: null,
      nextJobRunAt: job.suspend ? null : new Date(Date.parse(job.createdAt) + 3_600_000).toISOString(),
    },
    owner: job.owner,
  };
}

function createScheduled(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  world.scheduledRequests.push(req);
  const account = member(world, req);
  if (isAnswer(account)) return account;
  const namespace = req.params.namespace ?? '';
  if (world.unpaid.has(namespace)) {
    return hubError(402, 'Payment required: add credits to run Jobs in this namespace');
  }
  const body = (req.json ?? {}) as {
    jobSpec?: SpecBody;
    schedule?: string;
    suspend?: boolean;
    concurrency?: boolean;
  };
  const spec = body.jobSpec ?? {};
  const problem = specProblem(world, spec) ?? (body.schedule ? undefined : 'schedule is required');
  if (problem) return hubError(400, problem);
  const now = new Date().toISOString();
  const job: FakeScheduledJob = {
    id: fakeJobId(),
    namespace,
    schedule: body.schedule ?? '',
    suspend: body.suspend ?? false,
    concurrency: body.concurrency ?? false,
    createdAt: now,
    updatedAt: now,
    jobSpec: {
      dockerImage: spec.dockerImage ?? null,
      spaceId: spec.spaceId ?? null,
      command: spec.command ?? [],
      arguments: [],
      environment: spec.environment ?? {},
      secretValues: spec.secrets ?? {},
      flavor: spec.flavor ?? 'cpu-basic',
      timeoutSeconds: spec.timeoutSeconds ?? null,
      labels: spec.labels ?? {},
    },
    owner: ownerOf(namespace, account),
  };
  world.scheduled.push(job);
  return { body: scheduledJson(job) };
}

function listScheduled(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  const account = member(world, req);
  if (isAnswer(account)) return account;
  return { body: world.scheduled.filter((job) => job.namespace === req.params.namespace).map(scheduledJson) };
}

function scheduledIn(world: HubJobsWorld, req: LoopbackRequest): FakeScheduledJob | LoopbackAnswer {
  const account = member(world, req);
  if (isAnswer(account)) return account;
  const job = world.scheduled.find((j) => j.id === req.params.id && j.namespace === req.params.namespace);
  return job ?? hubError(404, 'Scheduled job not found');
}

function getScheduled(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  const job = scheduledIn(world, req);
  return 'schedule' in job ? { body: scheduledJson(job) } : job;
}

function deleteScheduled(world: HubJobsWorld, req: LoopbackRequest): LoopbackAnswer {
  const job = scheduledIn(world, req);
  if (!('schedule' in job)) return job;
  world.scheduled = world.scheduled.filter((j) => j !== job);
  return { status: 200, body: '' };
}

function setSuspended(world: HubJobsWorld, req: LoopbackRequest, suspend: boolean): LoopbackAnswer {
  const job = scheduledIn(world, req);
  if (!('schedule' in job)) return job;
  job.suspend = suspend;
  job.updatedAt = new Date().toISOString();
  return { status: 200, body: '' };
}
