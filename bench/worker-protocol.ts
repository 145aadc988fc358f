/** Settings the bench hands to `worker-child.ts`, through its environment. */
export const WORKER_ENV = {
  redisUrl: 'BENCH_REDIS_URL',
  prefix: 'BENCH_PREFIX',
  concurrency: 'BENCH_CONCURRENCY',
  llmDelayMs: 'BENCH_LLM_DELAY_MS',
} as const;

/** Messages a worker child sends over IPC. RSS values are bytes. */
export type WorkerChildMessage =
  | { type: 'ready'; rss: number }
  | { type: 'rss'; rss: number; peak: number }
  | { type: 'error'; message: string };

export function isWorkerChildMessage(value: unknown): value is WorkerChildMessage {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string';
}
