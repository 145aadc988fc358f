import { App } from '../src/cli/app.js';
import type { Config } from '../src/config/schema.js';
import type { LlmProvider } from '../src/core/llm-provider.js';
import { SYSTEM_PROMPT, benchLogger } from './bench-env.js';
import type { CleanupStack } from './cleanup-stack.js';
import { deletePrefix } from './redis-keys.js';

/**
 * An App for one section, closed and its keys deleted when the section's cleanup runs. Without an
 * `llm` it never runs turns (a producer/reader only, like a gateway).
 */
export function benchApp(redisUrl: string, config: Config, cleanup: CleanupStack, llm?: LlmProvider): App {
  const app = new App({
    config,
    redisUrl,
    logger: benchLogger(),
    systemPrompt: SYSTEM_PROMPT,
    ...(llm ? { llm } : {}),
  });
  cleanup.push(`app ${config.redis.prefix}`, async () => {
    await app.close(1_000);
    await deletePrefix(redisUrl, config.redis.prefix);
  });
  return app;
}
