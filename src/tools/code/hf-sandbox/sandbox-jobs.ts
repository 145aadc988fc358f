import { z } from 'zod';
import type { JobsApi } from '../../jobs/jobs-api.js';
import { malformedAnswer, viaJobsApi } from '../../jobs/jobs-errors.js';
import { jobsRequestJson } from '../../jobs/jobs-http.js';
import { isTerminalStage } from '../../jobs/jobs-shapes.js';
import { SESSION_LABEL } from './sandbox-protocol.js';

/**
 * What a sandbox needs of its HF job, read from the Jobs API with the project's one Jobs client
 * (`JobsApi`'s access, its HTTP helpers and failure wording): the launch, which `@huggingface/hub`'s
 * `runJob` cannot send (it has no `expose`), and the job's `status.exposeUrls` and labels
 * (`JobInfo` as `huggingface_hub` reads it).
 */
const sandboxJobShape = z.object({
  id: z.string().min(1),
  createdAt: z.string().nullish(),
  startedAt: z.string().nullish(),
  flavor: z.string().nullish(),
  labels: z.record(z.string(), z.string().nullable()).nullish(),
  status: z.object({
    stage: z.string(),
    message: z.string().nullish(),
    exposeUrls: z.array(z.string()).nullish(),
  }),
  owner: z.object({ name: z.string() }).nullish(),
});

export type SandboxJob = z.infer<typeof sandboxJobShape>;

function read(answer: unknown, what: string): SandboxJob {
  const parsed = sandboxJobShape.safeParse(answer);
  if (!parsed.success) throw malformedAnswer(what);
  return parsed.data;
}

export function isEnded(job: SandboxJob): boolean {
  return isTerminalStage(job.status.stage);
}

/** `POST /api/jobs/{namespace}` with the whole spec (`_create_job_spec` of `Sandbox.create`). */
export async function launchSandboxJob(
  api: JobsApi,
  namespace: string,
  spec: Record<string, unknown>,
): Promise<SandboxJob> {
  const token = api.token();
  const answer = await viaJobsApi(api.access.signal, `a sandbox job in ${namespace}`, () =>
    jobsRequestJson<unknown>({ ...api.access, token }, `/api/jobs/${encodeURIComponent(namespace)}`, {
      method: 'post',
      json: spec,
    }),
  );
  return read(answer, 'the launched sandbox job');
}

/** `GET /api/jobs/{namespace}/{id}`, with the fields a sandbox needs. */
export async function getSandboxJob(api: JobsApi, namespace: string, jobId: string): Promise<SandboxJob> {
  const token = api.token();
  const answer = await viaJobsApi(api.access.signal, `sandbox job ${jobId}`, () =>
    jobsRequestJson<unknown>(
      { ...api.access, token },
      `/api/jobs/${encodeURIComponent(namespace)}/${encodeURIComponent(jobId)}`,
    ),
  );
  return read(answer, `sandbox job ${jobId}`);
}

/** The session's sandbox job still alive, if a launch whose answer was lost left one. */
export async function findSessionSandbox(
  api: JobsApi,
  namespace: string,
  sessionId: string,
): Promise<string | undefined> {
  const jobs = await api.list(namespace, { labels: { [SESSION_LABEL]: sessionId } });
  return jobs.find((job) => job.labels?.[SESSION_LABEL] === sessionId && !isTerminalStage(job.status.stage))
    ?.id;
}
