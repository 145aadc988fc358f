import type { App } from '../../src/cli/app.js';
import type { Config } from '../../src/config/schema.js';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeOpenAi } from '../fakes/fake-openai.js';
import { testApp, testConfig } from './test-app.js';

/** An app whose model is the loopback fake Anthropic server, with workers running. */
export async function startFakeApp(
  fake: FakeAnthropic,
  options: { config?: Config; tools?: AnyToolSpec[]; redact?: (text: string) => string } = {},
): Promise<App> {
  const app = testApp({
    config: options.config ?? testConfig(),
    anthropic: { apiKey: 'test-key', baseURL: fake.url },
    extraTools: options.tools ?? [],
    ...(options.redact ? { redact: options.redact } : {}),
  });
  await app.startWorkers();
  return app;
}

/** The `messages` of the n-th request the fake received (negative counts from the end). */
export function requestMessages(fake: FakeAnthropic, index = -1): Array<{ role: string; content: unknown }> {
  const body = fake.requests.at(index)?.body as { messages: Array<{ role: string; content: unknown }> };
  return body.messages;
}

/** A content block of a Messages API request, as far as the tests read it. */
interface WireBlock {
  type: string;
  text?: string;
  content?: string | Array<{ type: string; text?: string }>;
}

/** The body of a Messages API request, as far as the tests read it. */
export interface MessagesRequestBody {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content: string | WireBlock[] }>;
}

/** The bodies of the `POST /v1/messages` requests the fake received, in order (other routes left out). */
export function messageRequests(fake: FakeAnthropic): MessagesRequestBody[] {
  return fake.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/messages')
    .map((r) => r.body as MessagesRequestBody);
}

function blocksOf(content: string | WireBlock[]): WireBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** The texts of the user's messages a request carried, in order (tool results left out). */
export function userTexts(body: MessagesRequestBody | undefined): string[] {
  return (body?.messages ?? [])
    .filter((m) => m.role === 'user')
    .flatMap((m) => blocksOf(m.content).flatMap((b) => (b.type === 'text' ? [b.text ?? ''] : [])));
}

/** The tool results a request carried, in order, as text. */
export function toolResults(body: MessagesRequestBody | undefined): string[] {
  return (body?.messages ?? [])
    .filter((m) => m.role === 'user')
    .flatMap((m) =>
      blocksOf(m.content).flatMap((b) => {
        if (b.type !== 'tool_result') return [];
        if (typeof b.content === 'string' || b.content === undefined) return [b.content ?? ''];
        return [b.content.map((c) => c.text ?? '').join('')];
      }),
    );
}

/** Where an open-model app's providers live: loopback fakes for the router and a local server. */
export interface OpenModelFakes {
  router?: FakeOpenAi;
  openai?: FakeOpenAi;
  anthropic?: FakeAnthropic;
  hfToken?: string;
}

/** An app whose `hf/`, `openai/` (and optionally `anthropic/`) models are loopback fakes, with workers running. */
export async function startOpenModelApp(
  fakes: OpenModelFakes,
  options: { config: Config; tools?: AnyToolSpec[] },
): Promise<App> {
  const app = testApp({
    config: options.config,
    ...(fakes.anthropic ? { anthropic: { apiKey: 'test-key', baseURL: fakes.anthropic.url } } : {}),
    ...(fakes.router ? { hfRouter: { token: fakes.hfToken ?? 'hf_test', baseURL: fakes.router.url } } : {}),
    ...(fakes.openai ? { openai: { baseURL: fakes.openai.url } } : {}),
    extraTools: options.tools ?? [],
  });
  await app.startWorkers();
  return app;
}
