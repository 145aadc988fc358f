import OpenAI, { AuthenticationError, BadRequestError, NotFoundError, RateLimitError } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../fakes/fake-openai.js';
import type { FakeOpenAi, FakeOpenAiOptions } from '../fakes/fake-openai.js';
import { chatRequests, userTexts } from '../helpers/openai-requests.js';
import { failure } from '../helpers/failure.js';

// The fake is only as good as its agreement with the real SDK: every check here goes through `openai`.

let fake: FakeOpenAi | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeOpenAiOptions = {}): Promise<{ fake: FakeOpenAi; client: OpenAI }> {
  fake = await startFakeOpenAi(options);
  return { fake, client: new OpenAI({ baseURL: fake.url, apiKey: options.apiKey ?? 'x', maxRetries: 0 }) };
}

const tools: ChatCompletionCreateParamsStreaming['tools'] = [
  { type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } },
];

function params(
  extra: Partial<ChatCompletionCreateParamsStreaming> = {},
): ChatCompletionCreateParamsStreaming {
  return { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], stream: true, ...extra };
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const twoCalls = {
  text: 'Let me look at both files.',
  toolCalls: [
    { id: 'call_a', name: 'read_file', input: { path: 'train.py' } },
    { id: 'call_b', name: 'grep', input: { pattern: 'lr', path: 'configs/' } },
  ],
  usage: { prompt_tokens: 120, completion_tokens: 33 },
};

describe('fake-openai through the openai SDK', () => {
  it('streams text and two tool calls the way the SDK assembles them, usage only when asked for', async () => {
    const { fake, client } = await start();
    fake.enqueue(twoCalls);
    const chunks = await collect(
      await client.chat.completions.create(params({ tools, stream_options: { include_usage: true } })),
    );

    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'fake-model')).toBe(true);
    const deltas = chunks.flatMap((c) => c.choices.map((choice) => choice.delta));
    expect(deltas.map((d) => d.content ?? '').join('')).toBe(twoCalls.text);

    const toolDeltas = deltas.flatMap((d) => d.tool_calls ?? []);
    const calls = [0, 1].map((index) => {
      const mine = toolDeltas.filter((t) => t.index === index);
      const [opening, ...rest] = mine;
      // The first delta of a call names it; the later ones carry only index and argument pieces.
      expect(opening).toMatchObject({ index, type: 'function', function: { arguments: '' } });
      expect(rest.length).toBeGreaterThan(1);
      for (const t of rest)
        expect(t).toEqual({ index, function: { arguments: expect.any(String) as string } });
      return {
        id: opening?.id,
        name: opening?.function?.name,
        args: rest.map((t) => t.function?.arguments).join(''),
      };
    });
    expect(calls).toEqual([
      { id: 'call_a', name: 'read_file', args: '{"path":"train.py"}' },
      { id: 'call_b', name: 'grep', args: '{"pattern":"lr","path":"configs/"}' },
    ]);

    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finish.map((c) => c.choices[0]?.finish_reason)).toEqual(['tool_calls']);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 120, completion_tokens: 33, total_tokens: 153 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);

    // Without include_usage: no usage field anywhere and no empty-choices chunk.
    fake.enqueue(twoCalls);
    const plain = await collect(await client.chat.completions.create(params({ tools })));
    expect(plain.some((c) => 'usage' in c)).toBe(false);
    expect(plain.every((c) => c.choices.length === 1)).toBe(true);

    expect(chatRequests(fake).map((r) => [r.stream, r.stream_options?.include_usage])).toEqual([
      [true, true],
      [true, undefined],
    ]);
    expect(chatRequests(fake)[0]?.tools?.[0]?.function.name).toBe('read_file');
    expect(userTexts(chatRequests(fake)[0])).toEqual(['hi']);
  });

  it("passes the SDK's own stream accumulator and answers stream: false with one completion", async () => {
    const { fake, client } = await start();
    fake.enqueue(twoCalls, { toolCalls: [{ id: 'call_c', name: 'read_file', rawJson: '{"path": ' }] });
    const final = await client.chat.completions.stream(params({ tools })).finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(twoCalls.text);
    expect(final.choices[0]?.message.tool_calls?.map((c) => c.id)).toEqual(['call_a', 'call_b']);

    const whole = await client.chat.completions.create({ ...params(), stream: false });
    expect(whole.object).toBe('chat.completion');
    expect(whole.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_c', type: 'function', function: { name: 'read_file', arguments: '{"path": ' } },
      ],
    });
    expect(whole.choices[0]?.finish_reason).toBe('tool_calls');
    // Unscripted usage: 10 per message in, a token per 4 characters out.
    expect(whole.usage).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
  });

  it('lists models in the router shape, and plainly for a local server', async () => {
    const providers = [
      {
        provider: 'together',
        context_length: 262144,
        pricing: { input: 0.2, output: 0.6 },
        supports_tools: true,
        supports_structured_output: true,
      },
      { provider: 'novita', status: 'error' as const },
    ];
    const router = await start({ apiKey: 'hf_good', models: [{ id: 'Qwen/Qwen3-Coder-30B', providers }] });
    // The router lists models to anyone: the bad token is only caught by a chat request.
    const bad = new OpenAI({ baseURL: router.fake.url, apiKey: 'hf_bad', maxRetries: 0 });
    const listed = (await bad.models.list()).data;
    expect(listed).toEqual([
      {
        id: 'Qwen/Qwen3-Coder-30B',
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'Qwen',
        architecture: { input_modalities: ['text'], output_modalities: ['text'] },
        providers: [{ ...providers[0], status: 'live' }, providers[1]],
      },
    ]);
    const one = await bad.models.retrieve('Qwen/Qwen3-Coder-30B');
    expect(one.id).toBe('Qwen/Qwen3-Coder-30B');
    await router.fake.close();

    const local = await start({ models: [{ id: 'qwen2.5:7b', max_model_len: 32768 }], flavor: 'vllm' });
    expect((await local.client.models.list()).data).toEqual([
      { id: 'qwen2.5:7b', object: 'model', created: 1_700_000_000, owned_by: 'vllm', max_model_len: 32768 },
    ]);
    expect(await failure(local.client.models.retrieve('nope'))).toBeInstanceOf(NotFoundError);
  });

  it("answers a wrong key with the flavor's real 401, as AuthenticationError", async () => {
    const router = await start({
      apiKey: 'hf_good',
      models: [{ id: 'm', providers: [{ provider: 'groq' }] }],
    });
    router.fake.enqueue({ text: 'never sent' });
    const bad = new OpenAI({ baseURL: router.fake.url, apiKey: 'hf_bad', maxRetries: 0 });
    const err = await failure(bad.chat.completions.create({ ...params({ model: 'm' }), stream: false }));
    expect(err).toBeInstanceOf(AuthenticationError);
    // The router's body is {"error": "<text>"}: the SDK keeps the string and JSON-quotes it in the message.
    expect((err as AuthenticationError).error).toBe('Invalid credentials in Authorization header');
    expect((err as AuthenticationError).message).toBe('401 "Invalid credentials in Authorization header"');
    expect(router.fake.pending()).toBe(1);
    await router.fake.close();

    const openai = await start({ apiKey: 'sk-good-0123456789' });
    const wrong = new OpenAI({ baseURL: openai.fake.url, apiKey: 'sk-wrong-0123456789', maxRetries: 0 });
    const err2 = await failure(wrong.models.list());
    expect(err2).toBeInstanceOf(AuthenticationError);
    expect((err2 as AuthenticationError).code).toBe('invalid_api_key');
    expect((err2 as AuthenticationError).message).toContain(
      'Incorrect API key provided: sk-wrong*******6789',
    );
  });

  it('answers a scripted 429 as RateLimitError with retry-after readable', async () => {
    const { fake, client } = await start();
    fake.enqueue({ status: 429, headers: { 'retry-after': '7' } });
    const err = await failure(client.chat.completions.create(params()));
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).headers?.get('retry-after')).toBe('7');
    expect((err as RateLimitError).code).toBe('rate_limit_exceeded');
  });

  it.each([
    ['ollama', 'registry.ollama.ai/library/llama3.2:latest does not support tools', null],
    ['vllm', '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', 400],
    ['router', 'The following parameters are not supported for this model: tools', '422'],
  ] as const)('rejects tools like %s does, as BadRequestError', async (server, message, code) => {
    const { fake, client } = await start({ toolsUnsupported: server });
    fake.enqueue({ text: 'without tools' });
    const err = await failure(client.chat.completions.create(params({ model: 'llama3.2', tools })));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toBe(`400 ${message}`);
    expect((err as BadRequestError).code).toBe(code);
    // The rejection does not use up the script; the same request without tools gets it.
    const ok = await client.chat.completions.create({ ...params({ model: 'llama3.2' }), stream: false });
    expect(ok.choices[0]?.message.content).toBe('without tools');
  });

  it('rejects unknown models when strict, the router with a 400 model_not_supported', async () => {
    const { client } = await start({ strictModels: true, models: [{ id: 'a/b', providers: [] }] });
    const err = await failure(client.chat.completions.create(params({ model: 'a/c' })));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).code).toBe('model_not_supported');
    expect((err as BadRequestError).param).toBe('model');
    const ok = await client.chat.completions.create({ ...params({ model: 'a/b:together' }), stream: false });
    expect(ok.choices[0]?.message.content).toBe('ok');
  });

  it('drops the socket mid-stream, hangs until the client aborts, and 404s other routes', async () => {
    const { fake, client } = await start();
    fake.enqueue({ text: 'a long answer that breaks', dropAfterChunks: 2 });
    const seen: string[] = [];
    const dropped = failure(
      (async () => {
        for await (const c of await client.chat.completions.create(params()))
          seen.push(c.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(await dropped).toBeInstanceOf(Error);
    expect(seen.join('')).toBe('a long a');
    expect(fake.requests.at(-1)?.closedEarly).toBe(true);

    fake.enqueue({ text: 'hello there', hangAfterChunks: 1 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(params(), { signal: controller.signal });
    const first: string[] = [];
    for await (const c of stream) {
      first.push(c.choices[0]?.delta.content ?? '');
      if (first.length === 2) controller.abort();
    }
    expect(first).toEqual(['', 'hell']);
    await expect.poll(() => fake.requests.at(-1)?.closedEarly).toBe(true);

    const err = await failure(client.embeddings.create({ model: 'fake-model', input: 'x' }));
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toBe('404 Invalid URL (POST /v1/embeddings)');
  });
});
