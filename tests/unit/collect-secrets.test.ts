import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../../src/config/environment.js';
import { configSchema } from '../../src/config/schema.js';
import { collectSecrets } from '../../src/config/secrets.js';

describe('collectSecrets', () => {
  const config = configSchema.parse({
    model: 'anthropic/claude-sonnet-5-5',
    mcpServers: {
      docs: {
        transport: 'http',
        url: 'http://x/mcp',
        headers: { Authorization: 'Bearer mcp-header-token-1' },
      },
      local: { transport: 'stdio', command: 'node', env: { SOME_VALUE: 'mcp-env-value-22' } },
      other: { transport: 'http', url: 'http://y', headers: { 'X-Api-Key': '${OTHER_KEY}' } },
    },
  });

  it('holds the contract’s tokens, any variable named like a credential, and the config’s secrets', () => {
    const env = {
      HF_TOKEN: 'hf-token-value-1',
      OPENAI_API_KEY: 'openai-key-value-2',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-value-3',
      REDIS_URL: 'redis://:redis-password-4@127.0.0.1:6379',
      HOME: '/root',
      OTHER_KEY: 'substituted-header-value-44',
    };
    const secrets = collectSecrets(readEnvironment(env), env, config);
    for (const s of [
      'hf-token-value-1',
      'openai-key-value-2',
      'aws-secret-value-3',
      'redis-password-4',
      'Bearer mcp-header-token-1',
      'mcp-header-token-1',
      'mcp-env-value-22',
      'substituted-header-value-44',
    ]) {
      expect(secrets).toContain(s);
    }
    expect(secrets).not.toContain('/root');
  });
});
