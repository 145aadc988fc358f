import Anthropic from '@anthropic-ai/sdk';
import type { Environment } from '../../config/environment.js';
import { ok, type Check } from './check.js';
import { credentialCheck, type ServiceSpec } from './failure-hints.js';

/** The SDK's own default when `ANTHROPIC_BASE_URL` is unset. */
const DEFAULT_ANTHROPIC_URL = 'https://api.anthropic.com';

/**
 * Anthropic: `GET /v1/models` through the SDK (so `ANTHROPIC_BASE_URL` and the SDK's auth headers
 * are exactly those of a turn), without retries: a wrong key answers 401 at once.
 */
export function anthropicCheck(env: Environment, timeoutMs: number): Check {
  const spec: ServiceSpec = {
    name: 'Anthropic',
    tokenVar: 'ANTHROPIC_API_KEY',
    urlVar: 'ANTHROPIC_BASE_URL',
    url: env.ANTHROPIC_BASE_URL ?? DEFAULT_ANTHROPIC_URL,
    tokenHelp: 'create a key at https://console.anthropic.com/settings/keys and set ANTHROPIC_API_KEY',
  };
  return credentialCheck(spec, env.ANTHROPIC_API_KEY, 'ANTHROPIC_API_KEY not set', async (apiKey, signal) => {
    const client = new Anthropic({
      apiKey,
      ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
      maxRetries: 0,
      timeout: timeoutMs,
      logLevel: 'off',
    });
    const page = await client.models.list({ limit: 1 }, { signal });
    const first = page.data[0]?.id;
    return ok(spec.name, `ANTHROPIC_API_KEY accepted by ${spec.url}${first ? ` (lists ${first}, …)` : ''}`);
  });
}
