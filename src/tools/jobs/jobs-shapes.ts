import { z } from 'zod';
import { malformedAnswer } from './jobs-errors.js';

/**
 * The JSON the Jobs API answers, as `huggingface_hub`'s `_jobs_api.py` (`JobInfo`, `JobSpec`,
 * `ScheduledJobInfo`) and `@huggingface/hub`'s `ApiJob` / `ApiScheduledJob` read it. Only the fields
 * used here are checked; the rest pass untouched.
 */

/** `COMPLETED`, `CANCELED`, `ERROR`, `DELETED`, `RUNNING` (`JobStage`), and `SCHEDULING` before a job runs. */
export const TERMINAL_STAGES: readonly string[] = ['COMPLETED', 'CANCELED', 'ERROR', 'DELETED'];

export function isTerminalStage(stage: string): boolean {
  return TERMINAL_STAGES.includes(stage.toUpperCase());
}

const owner = z.object({ id: z.string().optional(), name: z.string(), type: z.string().optional() });
const stringMap = z.record(z.string(), z.unknown());

export const jobInfoShape = z.object({
  id: z.string().min(1),
  createdAt: z.string().nullish(),
  startedAt: z.string().nullish(),
  finishedAt: z.string().nullish(),
  dockerImage: z.string().nullish(),
  spaceId: z.string().nullish(),
  command: z.array(z.string()).nullish(),
  arguments: z.array(z.string()).nullish(),
  environment: stringMap.nullish(),
  // The API names the secrets it holds (a list); older answers gave a map of names to "".
  secrets: z.union([z.array(z.string()), stringMap]).nullish(),
  flavor: z.string().nullish(),
  timeoutSeconds: z.number().nullish(),
  // A label without a value (`--label fine-tuning`) may come back empty or null.
  labels: z.record(z.string(), z.string().nullable()).nullish(),
  status: z.object({ stage: z.string(), message: z.string().nullish() }),
  owner: owner.nullish(),
});

export type JobInfo = z.infer<typeof jobInfoShape>;

const jobSpecShape = z.object({
  dockerImage: z.string().nullish(),
  spaceId: z.string().nullish(),
  command: z.array(z.string()).nullish(),
  environment: stringMap.nullish(),
  flavor: z.string().nullish(),
  timeoutSeconds: z.number().nullish(),
  labels: z.record(z.string(), z.string().nullable()).nullish(),
});

export const scheduledJobShape = z.object({
  id: z.string().min(1),
  schedule: z.string().nullish(),
  suspend: z.boolean().nullish(),
  concurrency: z.boolean().nullish(),
  createdAt: z.string().nullish(),
  jobSpec: jobSpecShape,
  status: z
    .object({
      lastJob: z.object({ id: z.string(), at: z.string().nullish() }).nullish(),
      nextJobRunAt: z.string().nullish(),
    })
    .nullish(),
  owner: owner.nullish(),
});

export type ScheduledJobInfo = z.infer<typeof scheduledJobShape>;

/** `GET /api/whoami-v2`: the token owner and the orgs they belong to. */
export const whoamiShape = z.object({
  name: z.string().min(1),
  type: z.string().optional(),
  orgs: z.array(z.object({ name: z.string() })).nullish(),
});

export type WhoAmI = z.infer<typeof whoamiShape>;

/** `value` read with `schema`, or the malformed-answer error for `what`. */
export function readShape<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw malformedAnswer(what);
}
