/** Settings the bench hands to its worker children (`worker-child.ts`, `bare-worker-child.ts`) through their environment. */
export const WORKER_ENV = {
  redisUrl: 'BENCH_REDIS_URL',
  prefix: 'BENCH_PREFIX',
  concurrency: 'BENCH_CONCURRENCY',
  llmDelayMs: 'BENCH_LLM_DELAY_MS',
  /** Bare BullMQ child only: report `jobs_done` once this many jobs have finished. */
  expectJobs: 'BENCH_EXPECT_JOBS',
  /** Job watch child only: the loopback Jobs API and its token. */
  hubUrl: 'BENCH_HUB_URL',
  hubToken: 'BENCH_HUB_TOKEN',
} as const;

/** Messages a worker child sends over IPC. RSS values are bytes. */
export type WorkerChildMessage =
  | { type: 'ready'; rss: number }
  | { type: 'rss'; rss: number; peak: number }
  | { type: 'error'; message: string }
  /** `at` is epoch ms, when the last expected job's processor returned. */
  | { type: 'jobs_done'; at: number }
  /** The answer to `usage?`: process.cpuUsage() (µs) and RSS now. */
  | { type: 'usage'; userUs: number; systemUs: number; rss: number };

/** Messages the parent sends a worker child over IPC. */
export type ParentMessage = { type: 'usage?' };

export function isWorkerChildMessage(value: unknown): value is WorkerChildMessage {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string';
}

/** The queue the bare BullMQ child serves, under the same hash-tagged prefix style as the app's. */
export function bareQueueName(prefix: string): string {
  return `${prefix}-bare`;
}
