import { z } from 'zod';

/** `hf_jobs`' operations, named as the reference agent names them (with a space). */
export const JOB_OPERATIONS = [
  'run',
  'ps',
  'logs',
  'inspect',
  'cancel',
  'scheduled run',
  'scheduled ps',
  'scheduled inspect',
  'scheduled delete',
  'scheduled suspend',
  'scheduled resume',
] as const;

export type JobOperation = (typeof JOB_OPERATIONS)[number];

/** `hf_jobs`' arguments: DESIGN.md's contract, the reference agent's names. */
export const hfJobsParameters = z.object({
  operation: z
    .enum(JOB_OPERATIONS)
    .describe(
      'run: launch a job (returns its id at once); ps: list jobs; logs: the last lines of a job; inspect: a job in detail; cancel: stop a job; scheduled run/ps/inspect/delete/suspend/resume: jobs on a cron schedule.',
    ),
  script: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Python mode (run, scheduled run): the whole Python script, or an http(s) URL of one. Runs with `uv run` in ghcr.io/astral-sh/uv:python3.12-bookworm; PEP 723 `# /// script` metadata works. Not with command.',
    ),
  command: z
    .union([z.array(z.string()).min(1), z.string().min(1)])
    .optional()
    .describe(
      'Docker mode (run, scheduled run): the command to run in `image`, as a list (["python", "-c", "print(1)"]); a string runs with /bin/sh -c. Not with script.',
    ),
  dependencies: z
    .array(z.string().min(1))
    .optional()
    .describe(
      'Python mode: pip packages for the script (each becomes `uv run --with <dep>`), e.g. ["transformers", "trl", "torch", "datasets", "accelerate"].',
    ),
  image: z
    .string()
    .min(1)
    .optional()
    .describe('Docker image: default python:3.12 for a command, the uv image for a script.'),
  hardware_flavor: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Hardware (default cpu-basic): cpu-basic, cpu-upgrade, t4-small, t4-medium, l4x1, a10g-small, a10g-large, a10g-largex2, l40sx1, a100-large, a100x4, h200, … An unknown name is refused with the full list and prices.',
    ),
  timeout: z
    .union([z.string().min(1), z.number().positive()])
    .optional()
    .describe(
      'Maximum runtime: "90s", "30m", "2h", "1d", or a number of seconds. The job is stopped when it is reached, and the cost estimate is the price × this. Training needs hours ("4h"), not the default.',
    ),
  env: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe(
      'Environment variables of the job ({"KEY": "value"}). HF_TOKEN is given to every job as a secret: never put it here.',
    ),
  job_id: z.string().min(1).optional().describe('logs, inspect, cancel: the job id (from run or ps).'),
  scheduled_job_id: z
    .string()
    .min(1)
    .optional()
    .describe(
      'scheduled inspect/delete/suspend/resume: the scheduled job id (from scheduled run or scheduled ps).',
    ),
  schedule: z
    .string()
    .min(1)
    .optional()
    .describe(
      'scheduled run: "@hourly", "@daily", "@weekly", "@monthly", or a cron expression ("0 9 * * 1").',
    ),
});

export type HfJobsArgs = z.infer<typeof hfJobsParameters>;
