import type { App } from '../../src/cli/app.js';
import type { Config } from '../../src/config/schema.js';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { testApp, testConfig } from './test-app.js';

/** An app whose model is the loopback fake Anthropic server, with workers running. */
export async function startFakeApp(
  fake: FakeAnthropic,
  options: { config?: Config; tools?: AnyToolSpec[] } = {},
): Promise<App> {
  const app = testApp({
    config: options.config ?? testConfig(),
    anthropic: { apiKey: 'test-key', baseURL: fake.url },
    extraTools: options.tools ?? [],
  });
  await app.startWorkers();
  return app;
}

/** The `messages` of the n-th request the fake received (negative counts from the end). */
export function requestMessages(fake: FakeAnthropic, index = -1): Array<{ role: string; content: unknown }> {
  const body = fake.requests.at(index)?.body as { messages: Array<{ role: string; content: unknown }> };
  return body.messages;
}
