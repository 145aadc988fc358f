import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { ModelResolver } from '../../src/cli/model-resolver.js';
import { LlmError } from '../../src/core/errors.js';
import type { LlmRequest } from '../../src/core/llm-provider.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';

const API_KEY = 'sk-ant-test-retry-after-cap-0123';
const request: LlmRequest = {
  model: 'claude-sonnet-4-5',
  system: 'test',
  messages: [{ role: 'user', content: 'hi' }],
  tools: [],
  maxTokens: 256,
  stream: true,
};

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
});
afterEach(async () => {
  await fake.close();
});

/** The provider the way the CLI builds it: from the config, through the model resolver. */
async function providerFor(llm: Record<string, unknown>) {
  const config = configSchema.parse({ model: 'anthropic/claude-sonnet-4-5', llm });
  const resolver = new ModelResolver({
    config,
    logger: pino({ level: 'silent' }),
    anthropic: { apiKey: API_KEY, baseURL: fake.url },
  });
  return (await resolver.resolve(config.model)).provider;
}

describe('llm.maxRetryAfterMs', () => {
  it('fails at once, saying why, when retry-after is over the configured cap', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after': '2' } }, { text: 'never reached' });
    const provider = await providerFor({ maxRetryAfterMs: 1_000 });
    const err = await provider
      .complete(request, () => undefined, new AbortController().signal)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).status).toBe(429);
    expect((err as LlmError).message).toMatch(
      /retry after 2 s, over the 1 s that llm\.maxRetryAfterMs allows/,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('waits out a retry-after within the cap, then answers', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { text: 'after the wait' });
    const provider = await providerFor({ maxRetryAfterMs: 2_000 });
    const response = await provider.complete(request, () => undefined, new AbortController().signal);
    expect(response.text).toBe('after the wait');
    expect(fake.requests).toHaveLength(2);
  });
});
