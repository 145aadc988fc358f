/**
 * A worker process for the bench: an App with a scripted model and its drain workers, nothing else,
 * so the parent measures its RSS alone and can SIGKILL it mid-turn. Settings come from the env
 * (see worker-protocol.ts); RSS is reported over IPC every 50 ms. Exits on SIGTERM or when the
 * parent goes away.
 */
import { App } from '../src/cli/app.js';
import { SYSTEM_PROMPT, benchConfig, benchLogger } from './bench-env.js';
import { scriptedAnswer } from './scripted-answer.js';
import { WORKER_ENV, type WorkerChildMessage } from './worker-protocol.js';

const RSS_REPORT_MS = 50;

function send(message: WorkerChildMessage): void {
  if (process.connected) process.send?.(message);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const prefix = requiredEnv(WORKER_ENV.prefix);
  const concurrency = Number(requiredEnv(WORKER_ENV.concurrency));
  const app = new App({
    config: benchConfig(prefix),
    redisUrl: requiredEnv(WORKER_ENV.redisUrl),
    logger: benchLogger(),
    systemPrompt: SYSTEM_PROMPT,
    llm: scriptedAnswer(Number(process.env[WORKER_ENV.llmDelayMs] ?? '0')),
  });
  await app.startWorkers({ concurrency });

  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    send({ type: 'rss', rss, peak });
  }, RSS_REPORT_MS);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(sampler);
    app.close(1_000).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  // An orphaned worker would keep taking the next run's jobs; leave with the parent.
  process.on('disconnect', stop);
  send({ type: 'ready', rss: peak });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
