/**
 * A worker process for the bench: an App with a scripted model and its drain workers, nothing else,
 * so the parent measures its RSS alone and can SIGKILL it mid-turn. Settings come from the env
 * (worker-protocol.ts); the model answers after BENCH_LLM_DELAY_MS.
 */
import { App } from '../src/cli/app.js';
import { SYSTEM_PROMPT, benchConfig, benchLogger } from './bench-env.js';
import { childSettings, failChild, runAsChild } from './child-runtime.js';
import { scriptedAnswer } from './scripted-answer.js';

async function main(): Promise<void> {
  const settings = childSettings();
  const app = new App({
    config: benchConfig(settings.prefix),
    redisUrl: settings.redisUrl,
    logger: benchLogger(),
    systemPrompt: SYSTEM_PROMPT,
    llm: scriptedAnswer(settings.delayMs),
  });
  await app.startWorkers({ concurrency: settings.concurrency });
  runAsChild(() => app.close(1_000));
}

main().catch(failChild);
