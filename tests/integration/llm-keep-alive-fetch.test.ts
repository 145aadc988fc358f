import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InterruptedError, LlmError } from '../../src/core/errors.js';
import type { LlmProvider, LlmRequest } from '../../src/core/llm-provider.js';
import { AnthropicProvider } from '../../src/llm/anthropic-provider.js';
import { OpenAiProvider } from '../../src/llm/openai-provider.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai.js';
import { eventually } from '../helpers/slack-harness.js';
import { failure } from '../helpers/failure.js';

// The LLM providers over their default fetch (keepAliveStreamingFetch, not Node's), end to end
// against the loopback fakes: each test fails if a call reaches the global fetch.

const request: LlmRequest = {
  model: 'fake-model',
  system: 'You are a careful ML intern.',
  messages: [{ role: 'user', content: 'Hello' }],
  tools: [],
  maxTokens: 1024,
  stream: true,
};

let globalCalls: number;
const globalFetch = globalThis.fetch;
beforeEach(() => {
  globalCalls = 0;
  globalThis.fetch = (...args) => {
    globalCalls += 1;
    return globalFetch(...args);
  };
});
afterEach(() => {
  globalThis.fetch = globalFetch;
  expect(globalCalls).toBe(0);
});

/** A call whose text is collected, and whose signal aborts once `abortAfter` deltas are in. */
function call(provider: LlmProvider, options: { abortAfter?: number; req?: LlmRequest } = {}) {
  const controller = new AbortController();
  const deltas: string[] = [];
  const pending = provider.complete(
    options.req ?? request,
    (delta) => {
      deltas.push(delta);
      if (deltas.length === options.abortAfter) controller.abort();
    },
    controller.signal,
  );
  return { pending, deltas };
}

/** The fake's side of each provider: what to script for a stream that hangs or breaks, a 429. */
interface Fake {
  enqueue(...replies: Array<Record<string, unknown>>): void;
  requests: FakeAnthropic['requests'];
  close(): Promise<void>;
}

const cases: Array<{ name: string; start: () => Promise<{ fake: Fake; provider: LlmProvider }> }> = [
  {
    name: 'AnthropicProvider',
    start: async () => {
      const fake: FakeAnthropic = await startFakeAnthropic({ apiKey: 'sk-ant-test' });
      const provider = new AnthropicProvider({
        apiKey: 'sk-ant-test',
        baseURL: fake.url,
        maxRetries: 2,
        timeoutMs: 5_000,
        retryBaseMs: 5,
      });
      return { fake, provider };
    },
  },
  {
    name: 'OpenAiProvider',
    start: async () => {
      const fake: FakeOpenAi = await startFakeOpenAi({ apiKey: 'hf_test' });
      const provider = new OpenAiProvider({
        baseURL: fake.url,
        apiKey: 'hf_test',
        service: 'hf_router',
        label: 'the fake router',
        keyVariable: 'HF_TOKEN',
        maxRetries: 2,
        timeoutMs: 5_000,
        retryBaseMs: 5,
      });
      return { fake, provider };
    },
  },
];

describe.each(cases)('$name over its default fetch', ({ start }) => {
  let fake: Fake;
  let provider: LlmProvider;
  beforeEach(async () => {
    ({ fake, provider } = await start());
  });
  afterEach(async () => {
    await fake.close();
  });

  it('streams an answer, delta by delta, and another on the same client', async () => {
    const text = 'Fine-tuning a 1B model on 8k examples takes about an hour.';
    fake.enqueue({ text, textChunkChars: 5, chunkDelayMs: 2 }, { text: 'again' });
    const first = call(provider);
    expect((await first.pending).text).toBe(text);
    expect(first.deltas.length).toBeGreaterThan(5);
    expect(first.deltas.join('')).toBe(text);
    expect((await call(provider).pending).text).toBe('again');
    expect(fake.requests).toHaveLength(2);
  });

  it('is interrupted mid-stream: the deltas came though the stream never ended, and its connection is closed', async () => {
    fake.enqueue({ text: 'This answer will never finish streaming.', hangAfterChunks: 3 });
    const { pending, deltas } = call(provider, { abortAfter: 2 });
    expect(await failure(pending)).toBeInstanceOf(InterruptedError);
    expect(deltas).toHaveLength(2);
    await eventually(() => fake.requests[0]?.closedEarly === true);
    expect(fake.requests).toHaveLength(1);
  });

  it('fails a stream the server cuts after text was shown, as a broken stream, without retrying', async () => {
    fake.enqueue({ text: 'Half an answer and then nothing', dropAfterChunks: 2 }, { text: 'unused' });
    const { pending, deltas } = call(provider);
    const err = await failure(pending);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ code: 'llm_connection' });
    expect((err as Error).message).toMatch(
      /after text was shown \(the response stream.* broke: terminated\)/,
    );
    expect(deltas).toHaveLength(2);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a stream the server cuts before any text was shown', async () => {
    fake.enqueue(
      { toolCalls: [{ name: 'bash', input: { cmd: 'ls -la /data/with/a/long/path' } }], dropAfterChunks: 1 },
      { text: 'second try' },
    );
    expect((await call(provider).pending).text).toBe('second try');
    expect(fake.requests).toHaveLength(2);
  });

  it('waits out a 429 (its JSON body read through the fetch), then answers', async () => {
    fake.enqueue(
      { status: 429, headers: { 'retry-after-ms': '100' }, errorMessage: 'slow down' },
      { text: 'after the wait' },
    );
    const started = Date.now();
    expect((await call(provider).pending).text).toBe('after the wait');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(fake.requests).toHaveLength(2);
  });

  it('reads a non-retryable error status body for its message', async () => {
    fake.enqueue({ status: 400, errorMessage: 'max_tokens: must be at most 128000' });
    const err = await failure(call(provider).pending);
    expect(err).toMatchObject({ status: 400 });
    expect((err as Error).message).toContain('max_tokens: must be at most 128000');
  });
});

describe('the providers', () => {
  it('send with a fetch they are given instead', async () => {
    const anthropic = await startFakeAnthropic();
    const openai = await startFakeOpenAi();
    try {
      const urls: string[] = [];
      const fetch = (input: string | URL | Request, init?: RequestInit) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return globalFetch(input, init);
      };
      const common = { maxRetries: 0, timeoutMs: 5_000, fetch };
      await new AnthropicProvider({ apiKey: 'sk-ant-x', baseURL: anthropic.url, ...common }).complete(
        request,
        () => undefined,
        new AbortController().signal,
      );
      const router = { service: 'openai', label: 'the fake', keyVariable: 'OPENAI_API_KEY' };
      await new OpenAiProvider({ baseURL: openai.url, ...router, ...common }).complete(
        request,
        () => undefined,
        new AbortController().signal,
      );
      expect(urls).toEqual([`${anthropic.url}/v1/messages`, `${openai.url}/chat/completions`]);
    } finally {
      await Promise.all([anthropic.close(), openai.close()]);
    }
  });
});
