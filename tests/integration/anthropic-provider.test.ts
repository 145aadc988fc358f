import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContextWindowExceededError, InterruptedError, LlmError } from '../../src/core/errors.js';
import type { LlmRequest, LlmResponse } from '../../src/core/llm-provider.js';
import { AnthropicProvider } from '../../src/llm/anthropic-provider.js';
import type { AnthropicProviderOptions } from '../../src/llm/anthropic-provider.js';
import { catalogEntryOf } from '../../src/llm/model-catalog.js';
import { costWith } from '../../src/llm/model-figures.js';
import { apiKeyOf, startFakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { failure } from '../helpers/failure.js';

const API_KEY = 'sk-ant-test-0123456789-secret';

const request: LlmRequest = {
  model: 'claude-sonnet-5-5',
  system: 'You are a careful ML intern.',
  messages: [{ role: 'user', content: 'Hello' }],
  tools: [],
  maxTokens: 1024,
  stream: true,
};

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
});

afterEach(async () => {
  await fake.close();
});

function provider(options: Partial<AnthropicProviderOptions> = {}): AnthropicProvider {
  return new AnthropicProvider({
    apiKey: API_KEY,
    baseURL: fake.url,
    maxRetries: 2,
    timeoutMs: 5_000,
    retryBaseMs: 5,
    ...options,
  });
}

async function run(
  p: AnthropicProvider,
  req: LlmRequest = request,
  signal: AbortSignal = new AbortController().signal,
): Promise<{ response: LlmResponse; deltas: string[] }> {
  const deltas: string[] = [];
  const response = await p.complete(req, (d) => deltas.push(d), signal);
  return { response, deltas };
}

describe('AnthropicProvider against the fake Messages API', () => {
  it('streams text deltas in order', async () => {
    const text = 'Fine-tuning a 1B model on 8k examples takes about an hour.';
    fake.enqueue({ text, textChunkChars: 5 });
    const { response, deltas } = await run(provider());
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(text);
    expect(response.text).toBe(text);
    expect(response.toolCalls).toEqual([]);
    expect(response.stopReason).toBe('end_turn');
  });

  it('assembles tool_use input from input_json_delta pieces', async () => {
    fake.enqueue({
      text: 'Let me look.',
      toolCalls: [
        {
          id: 'toolu_1',
          name: 'hf_search',
          input: { query: 'llama 3 8b', limit: 5, filters: { task: 'text-generation' } },
        },
        { id: 'toolu_2', name: 'bash', input: { cmd: 'nvidia-smi' } },
      ],
      jsonChunkChars: 3,
    });
    const { response } = await run(provider());
    expect(response.stopReason).toBe('tool_use');
    expect(response.text).toBe('Let me look.');
    expect(response.toolCalls).toEqual([
      {
        id: 'toolu_1',
        name: 'hf_search',
        input: { query: 'llama 3 8b', limit: 5, filters: { task: 'text-generation' } },
      },
      { id: 'toolu_2', name: 'bash', input: { cmd: 'nvidia-smi' } },
    ]);
  });

  it('keeps malformed tool JSON as a parse error with the raw text', async () => {
    fake.enqueue({ toolCalls: [{ id: 'toolu_bad', name: 'bash', rawJson: '{"cmd": "ls", ' }] });
    const { response } = await run(provider());
    const [call] = response.toolCalls;
    expect(call).toMatchObject({ id: 'toolu_bad', name: 'bash', input: {}, rawInput: '{"cmd": "ls", ' });
    expect(call?.parseError).toMatch(/not valid JSON/);
  });

  it('sends merged tool results and cache breakpoints, with the API key header', async () => {
    fake.enqueue({ text: 'Done.' });
    await run(provider(), {
      ...request,
      tools: [
        { name: 'hf_search', description: 'Search the Hub', inputSchema: { type: 'object', properties: {} } },
        { name: 'bash', description: 'Run a command', inputSchema: { type: 'object', properties: {} } },
      ],
      messages: [
        { role: 'user', content: 'Check the GPU and find a model' },
        {
          role: 'assistant',
          content: 'On it.',
          toolCalls: [
            { id: 'c1', name: 'bash', input: { cmd: 'nvidia-smi' } },
            { id: 'c2', name: 'hf_search', input: { query: 'tiny' } },
          ],
        },
        { role: 'tool', toolCallId: 'c1', name: 'bash', content: 'A100' },
        { role: 'tool', toolCallId: 'c2', name: 'hf_search', content: 'rate limited', isError: true },
      ],
    });
    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0];
    // SDK 1.x sends the key as a bearer token, not as x-api-key.
    expect(apiKeyOf(sent?.headers ?? {})).toBe(API_KEY);
    expect(sent?.headers['anthropic-version']).toBeDefined();
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.body).toMatchObject({
      model: 'claude-sonnet-5-5',
      max_tokens: 1024,
      stream: true,
      system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
      tools: [{ name: 'hf_search' }, { name: 'bash', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'On it.' },
            { type: 'tool_use', id: 'c1', name: 'bash', input: { cmd: 'nvidia-smi' } },
            { type: 'tool_use', id: 'c2', name: 'hf_search', input: { query: 'tiny' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'c1', content: 'A100' },
            {
              type: 'tool_result',
              tool_use_id: 'c2',
              content: 'rate limited',
              is_error: true,
              cache_control: { type: 'ephemeral' },
            },
          ],
        },
      ],
    });
    const body = sent?.body as { tools: Record<string, unknown>[]; messages: unknown[] };
    expect(body.tools[0]).not.toHaveProperty('cache_control');
    expect(body.messages).toHaveLength(3);
  });

  it('honours retry-after on 429, then succeeds', async () => {
    const warn = vi.fn();
    fake.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { text: 'after the wait' });
    const { response } = await run(provider({ logger: { warn } }));
    expect(response.text).toBe('after the wait');
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatchObject({
      attempt: 1,
      delayMs: 1000,
      status: 429,
      code: 'llm_rate_limited',
    });
  });

  it('honours retry-after-ms', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after-ms': '250' } }, { text: 'ok' });
    await run(provider());
    const [first, second] = fake.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it('retries 529 overloaded with backoff', async () => {
    fake.enqueue({ status: 529 }, { status: 529 }, { text: 'finally' });
    const { response } = await run(provider());
    expect(response.text).toBe('finally');
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after maxRetries with the last status', async () => {
    fake.setDefault(() => ({ status: 500 }));
    const err = await failure(run(provider({ maxRetries: 1 })));
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ status: 500, code: 'llm_server_error' });
    expect(fake.requests).toHaveLength(2);
  });

  it('maps a too-long prompt to ContextWindowExceededError without retrying', async () => {
    fake.enqueue({ status: 400, errorMessage: 'prompt is too long: 1048577 tokens > 1000000 maximum' });
    const err = await failure(run(provider()));
    expect(err).toBeInstanceOf(ContextWindowExceededError);
    expect(err).toMatchObject({ code: 'context_window_exceeded' });
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry other 400s', async () => {
    fake.enqueue({ status: 400, errorMessage: 'max_tokens: must be at most 128000' });
    const err = await failure(run(provider()));
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ status: 400, code: 'llm_bad_request' });
    expect((err as Error).message).toContain('max_tokens');
    expect(fake.requests).toHaveLength(1);
  });

  it('maps 401 to llm_auth without revealing the key', async () => {
    fake.enqueue({ status: 401, errorMessage: `invalid x-api-key: ${API_KEY}` });
    const err = await failure(run(provider()));
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ code: 'llm_auth', status: 401 });
    const { message, userMessage } = err as LlmError;
    expect(message).toContain('ANTHROPIC_API_KEY');
    expect(message).not.toContain(API_KEY);
    expect(userMessage).not.toContain(API_KEY);
    expect(fake.requests).toHaveLength(1);

    const wrongKey = 'sk-ant-wrong-key-9876543210';
    const rejected = await failure(run(provider({ apiKey: wrongKey })));
    expect(rejected).toMatchObject({ code: 'llm_auth', status: 401 });
    expect((rejected as Error).message).not.toContain(wrongKey);
  });

  it('throws InterruptedError when aborted mid-stream, without retrying', async () => {
    fake.enqueue({ text: 'This answer will never finish streaming.', hangAfterChunks: 2 });
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = provider().complete(
      request,
      (d) => {
        deltas.push(d);
        if (deltas.length === 2) controller.abort();
      },
      controller.signal,
    );
    const err = await failure(pending);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(deltas).toHaveLength(2);
    expect(fake.requests).toHaveLength(1);
  });

  it('throws InterruptedError when aborted while waiting to retry', async () => {
    fake.enqueue({ status: 529, headers: { 'retry-after': '30' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const err = await failure(run(provider(), request, controller.signal));
    expect(err).toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('does not retry once text has been shown', async () => {
    fake.enqueue(
      { text: 'Half an answer and then', streamErrorAfterChunks: 2 },
      { text: 'a different answer' },
    );
    const deltas: string[] = [];
    const err = await failure(
      provider().complete(request, (d) => deltas.push(d), new AbortController().signal),
    );
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).message).toMatch(/after text was shown/);
    expect(deltas.length).toBe(2);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a stream that stalls before any text was shown', async () => {
    fake.enqueue(
      { toolCalls: [{ name: 'bash', input: { cmd: 'ls -la' } }], hangAfterChunks: 1 },
      { text: 'second try' },
    );
    const { response } = await run(provider({ timeoutMs: 200 }));
    expect(response.text).toBe('second try');
    expect(fake.requests).toHaveLength(2);
  });

  it('maps usage from message_start and message_delta, and prices it', async () => {
    fake.enqueue({
      text: 'cached answer',
      usage: {
        input_tokens: 1200,
        output_tokens: 345,
        cache_read_input_tokens: 50_000,
        cache_creation_input_tokens: 800,
      },
    });
    const { response } = await run(provider());
    expect(response.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 345,
      cacheReadTokens: 50_000,
      cacheWriteTokens: 800,
    });
    // Sonnet 5.5: $2 in, $10 out; cache write 2.5, cache read 0.2 per million.
    expect(costWith(catalogEntryOf(request.model)!, response.usage)).toBeCloseTo(
      (1200 * 2 + 345 * 10 + 800 * 2.5 + 50_000 * 0.2) / 1e6,
      10,
    );
  });

  it('keeps deltas to itself when the request does not stream', async () => {
    fake.enqueue({ text: 'one piece' });
    const { response, deltas } = await run(provider(), { ...request, stream: false });
    expect(deltas).toEqual([]);
    expect(response.text).toBe('one piece');
  });

  it('reports an unreachable API as llm_connection', async () => {
    const url = fake.url;
    await fake.close();
    fake = await startFakeAnthropic();
    const err = await failure(run(provider({ baseURL: url, maxRetries: 1, retryBaseMs: 1 })));
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ code: 'llm_connection' });
  });
});
