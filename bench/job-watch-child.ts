/**
 * The worker of bench (k): an App with the default job watch timing (no `jobWatch` option, so what
 * ships is what is measured) and its workers started, reading jobs from the loopback Jobs API named
 * in its env. A process of its own, so that its CPU time and RSS are the watching's alone, not the
 * fake Hub's or the bench's.
 */
import { App } from '../src/cli/app.js';
import { PUBLIC_ENDPOINTS } from '../src/tools/tool-services.js';
import { SYSTEM_PROMPT, benchConfig, benchLogger } from './bench-env.js';
import { childSettings, failChild, requiredEnv, runAsChild } from './child-runtime.js';
import { scriptedAnswer } from './scripted-answer.js';
import { WORKER_ENV } from './worker-protocol.js';

async function main(): Promise<void> {
  const settings = childSettings();
  const app = new App({
    config: benchConfig(settings.prefix),
    redisUrl: settings.redisUrl,
    logger: benchLogger(),
    systemPrompt: SYSTEM_PROMPT,
    // No turn runs here; a model is there only because a worker needs one.
    llm: scriptedAnswer(0),
    services: {
      ...PUBLIC_ENDPOINTS,
      hub: { url: requiredEnv(WORKER_ENV.hubUrl), token: requiredEnv(WORKER_ENV.hubToken) },
    },
  });
  await app.startWorkers({ concurrency: settings.concurrency });
  runAsChild(() => app.close(1_000));
}

main().catch(failChild);
