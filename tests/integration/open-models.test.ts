import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import type { AgentEvent } from '../../src/core/events.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { bearerOf, startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai.js';
import {
  messageRequests,
  startOpenModelApp,
  toolResults as anthropicToolResults,
} from '../helpers/fake-app.js';
import { chatRequests, toolResults } from '../helpers/openai-requests.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';
import { echoTool } from '../helpers/test-tools.js';

// Open models through the real openai SDK against a loopback OpenAI-compatible server: a local
// server at OPENAI_BASE_URL (openai/…) and the HF router at HF_ROUTER_URL (hf/…).
let app: App | undefined;
const fakes: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function openAiFake(options: Parameters<typeof startFakeOpenAi>[0] = {}): Promise<FakeOpenAi> {
  const fake = await startFakeOpenAi(options);
  fakes.push(fake);
  return fake;
}

async function anthropicFake(): Promise<FakeAnthropic> {
  const fake = await startFakeAnthropic();
  fakes.push(fake);
  return fake;
}

async function ask(text: string, sessionId: string, after?: string) {
  await app!.operations.submit(sessionId, { type: 'user_input', text }, 'u1');
  return waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete', after ? { after } : {});
}

function streamed(events: AgentEvent[]): string {
  return events.flatMap((e) => (e.type === 'assistant_chunk' ? [e.text] : [])).join('');
}

describe('openai/<model>: any OpenAI-compatible server', () => {
  it('runs a turn with a tool call: text streamed, the call assembled from deltas, its result sent back', async () => {
    const server = await openAiFake({ flavor: 'vllm' });
    server.enqueue(
      { text: 'Let me echo.', toolCalls: [{ name: 'echo', input: { text: 'hi there' } }], jsonChunkChars: 3 },
      { text: 'The echo said hi there.', usage: { prompt_tokens: 120, completion_tokens: 9 } },
    );
    app = await startOpenModelApp(
      { openai: server },
      { config: testConfig({ model: 'openai/qwen3-8b' }), tools: [echoTool] },
    );
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await ask('please echo', sessionId);

    expect(streamed(events)).toBe('Let me echo.The echo said hi there.');
    const output = events.find((e) => e.type === 'tool_output');
    expect(output).toMatchObject({ tool: 'echo', output: 'echo: hi there' });
    const [first, second] = chatRequests(server);
    expect(first?.model).toBe('qwen3-8b');
    expect(first?.stream).toBe(true);
    expect(first?.stream_options).toEqual({ include_usage: true });
    expect(first?.messages[0]).toEqual({ role: 'system', content: 'You are a test agent.' });
    expect(first?.tools?.map((t) => t.function.name)).toContain('echo');
    expect(first?.tools?.find((t) => t.function.name === 'echo')?.function.parameters).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
    });
    // Prompt caching is Anthropic's: nothing of it goes to other servers.
    expect(JSON.stringify(server.requests.map((r) => r.body))).not.toContain('cache_control');
    const assistant = second?.messages.find((m) => m.role === 'assistant');
    expect(assistant?.tool_calls?.[0]?.function).toEqual({ name: 'echo', arguments: '{"text":"hi there"}' });
    expect(toolResults(second)).toEqual([{ id: assistant?.tool_calls?.[0]?.id, text: 'echo: hi there' }]);

    const done = events.find((e) => e.type === 'turn_complete');
    // Nobody priced this local model: the cost is unknown, not $0.
    expect(done).toMatchObject({ type: 'turn_complete', costUnknown: true, costUsd: 0 });
    const summary = await app.session(sessionId);
    expect(summary?.costUnknown).toBe(true);
    expect(summary!.inputTokens).toBeGreaterThanOrEqual(120);
  });

  it('prices and sizes a local model from models.<name> in the config', async () => {
    const server = await openAiFake({ flavor: 'ollama' });
    server.enqueue({ text: 'ok', usage: { prompt_tokens: 1_000_000, completion_tokens: 500_000 } });
    const config = testConfig({
      model: 'openai/llama3.1',
      models: { 'openai/llama3.1': { contextWindowTokens: 8_192, usdPerMTokIn: 0.2, usdPerMTokOut: 0.4 } },
    });
    app = await startOpenModelApp({ openai: server }, { config });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await ask('hi', sessionId);
    const done = events.find((e) => e.type === 'turn_complete');
    expect((done as { costUsd: number }).costUsd).toBeCloseTo(0.4, 6);
    expect(done).not.toHaveProperty('costUnknown');
    expect(await app.session(sessionId)).toMatchObject({ contextWindow: 8_192, costUnknown: false });
  });

  it('turns broken tool-call JSON and an unknown tool into error results the model can read, and goes on', async () => {
    const server = await openAiFake({ flavor: 'vllm' });
    server.enqueue(
      {
        toolCalls: [
          { name: 'echo', rawJson: '{"text": "unclosed' },
          { name: 'no_such_tool', input: { a: 1 } },
        ],
      },
      { text: 'Sorry, fixed.' },
    );
    app = await startOpenModelApp(
      { openai: server },
      { config: testConfig({ model: 'openai/qwen3-8b' }), tools: [echoTool] },
    );
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await ask('go', sessionId);
    expect(events.at(-1)).toMatchObject({ type: 'operation_complete', outcome: 'done' });
    const second = chatRequests(server)[1];
    const results = toolResults(second);
    expect(results).toHaveLength(2);
    expect(results[0]?.text).toMatch(/^Error: .*not valid JSON/s);
    expect(results[1]?.text).toMatch(/^Error: .*no_such_tool/s);
    // The broken call is replayed with valid JSON: servers that parse earlier calls would reject the request.
    const replayed = second?.messages.find((m) => m.role === 'assistant')?.tool_calls ?? [];
    for (const call of replayed) expect(() => JSON.parse(call.function.arguments) as unknown).not.toThrow();
    expect(streamed(events)).toBe('Sorry, fixed.');
  });

  it('waits out a 429 retry-after and then answers once', async () => {
    const server = await openAiFake({ flavor: 'vllm' });
    server.enqueue(
      { status: 429, headers: { 'retry-after': '1' }, errorMessage: 'slow down' },
      { text: 'after the wait' },
    );
    app = await startOpenModelApp({ openai: server }, { config: testConfig({ model: 'openai/qwen3-8b' }) });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await ask('hi', sessionId);
    expect(streamed(events)).toBe('after the wait');
    const calls = server.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.receivedAt - calls[0]!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('says once, in the thread, that a model without tool calls cannot be used, and keeps the message', async () => {
    const server = await openAiFake({ flavor: 'ollama', toolsUnsupported: 'ollama' });
    app = await startOpenModelApp(
      { openai: server },
      { config: testConfig({ model: 'openai/gemma2' }), tools: [echoTool] },
    );
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await ask('train something', sessionId);
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'llm_tools_unsupported' });
    expect((errors[0] as { message: string }).message).toMatch(/"gemma2".*does not support tool calls/);
    expect(events.at(-1)).toMatchObject({ type: 'operation_complete', outcome: 'error' });
    // Not retried: a second identical request would fail the same way.
    expect(server.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
    expect((await app.history.load(sessionId)).map((m) => m.role)).toEqual(['user']);
  });
});

describe('hf/<model>:<provider>: HF Inference Providers through the router', () => {
  const HF_TOKEN = 'hf_routerTestToken000000000000000000';
  const MODEL = {
    id: 'moonshotai/Kimi-K2.6',
    providers: [
      { provider: 'groq', context_length: 131_072, pricing: { input: 1, output: 3 }, supports_tools: true },
      {
        provider: 'novita',
        context_length: 262_144,
        pricing: { input: 0.6, output: 2.5 },
        supports_tools: true,
      },
    ],
  };

  it('sends the model with its provider and the HF token, and prices the turn from the router list', async () => {
    const router = await openAiFake({ apiKey: HF_TOKEN, models: [MODEL] });
    router.enqueue(
      {
        toolCalls: [{ name: 'echo', input: { text: 'routed' } }],
        usage: { prompt_tokens: 500_000, completion_tokens: 0 },
      },
      { text: 'Routed fine.', usage: { prompt_tokens: 500_000, completion_tokens: 100_000 } },
    );
    app = await startOpenModelApp(
      { router, hfToken: HF_TOKEN },
      { config: testConfig({ model: 'hf/moonshotai/Kimi-K2.6:groq' }), tools: [echoTool] },
    );
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await ask('route me', sessionId);
    expect(streamed(events)).toBe('Routed fine.');
    const chats = router.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(2);
    for (const request of chats) expect(bearerOf(request.headers)).toBe(HF_TOKEN);
    expect(chatRequests(router).map((b) => b.model)).toEqual([
      'moonshotai/Kimi-K2.6:groq',
      'moonshotai/Kimi-K2.6:groq',
    ]);
    expect(toolResults(chatRequests(router)[1])[0]?.text).toBe('echo: routed');
    // groq: $1 in, $3 out per million: 1M in + 0.1M out.
    const done = events.find((e) => e.type === 'turn_complete') as { costUsd: number };
    expect(done.costUsd).toBeCloseTo(1.3, 6);
    expect(await app.session(sessionId)).toMatchObject({ contextWindow: 131_072, costUnknown: false });
  });

  it('without a provider the router picks: the smallest window, and a cost it cannot know shows as unknown', async () => {
    const router = await openAiFake({ apiKey: HF_TOKEN, models: [MODEL] });
    router.enqueue({ text: 'hello' });
    app = await startOpenModelApp(
      { router, hfToken: HF_TOKEN },
      { config: testConfig({ model: 'hf/moonshotai/Kimi-K2.6' }) },
    );
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await ask('hi', sessionId);
    expect(chatRequests(router)[0]?.model).toBe('moonshotai/Kimi-K2.6');
    expect(events.find((e) => e.type === 'turn_complete')).toMatchObject({ costUnknown: true });
    expect(await app.session(sessionId)).toMatchObject({ contextWindow: 131_072 });
  });
});

describe('switching provider in the middle of a session', () => {
  it('carries the tool calls and results of one provider to the other, both ways', async () => {
    const anthropic = await anthropicFake();
    const server = await openAiFake({ flavor: 'vllm' });
    anthropic.enqueue(
      { text: 'Claude echoes.', toolCalls: [{ name: 'echo', input: { text: 'from claude' } }] },
      { text: 'Claude is done.' },
    );
    server.enqueue(
      { text: 'Qwen echoes too.', toolCalls: [{ name: 'echo', input: { text: 'from qwen' } }] },
      { text: 'Qwen is done.' },
    );
    app = await startOpenModelApp(
      { anthropic, openai: server },
      { config: testConfig({ model: 'anthropic/claude-sonnet-5-5' }), tools: [echoTool] },
    );
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const first = await ask('one', sessionId);
    await app.configureSession(sessionId, { model: 'openai/qwen3-8b' });
    const second = await ask('two', sessionId, first.lastId);
    expect(streamed(second.events)).toBe('Qwen echoes too.Qwen is done.');

    // The open model sees Claude's call (its toolu_ id kept) and its result, in order.
    const toOpen = chatRequests(server)[0]!;
    expect(toOpen.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
    const claudeCall = toOpen.messages[2]!.tool_calls![0]!;
    expect(claudeCall.function).toEqual({ name: 'echo', arguments: '{"text":"from claude"}' });
    expect(toolResults(toOpen)).toEqual([{ id: claudeCall.id, text: 'echo: from claude' }]);

    // And back: Claude sees the open model's call as a tool_use with its result.
    await app.configureSession(sessionId, { model: 'anthropic/claude-sonnet-5-5' });
    anthropic.enqueue({ text: 'Back with Claude.' });
    const third = await ask('three', sessionId, second.lastId);
    expect(streamed(third.events)).toBe('Back with Claude.');
    const back = messageRequests(anthropic).at(-1)!;
    expect(anthropicToolResults(back)).toEqual(['echo: from claude', 'echo: from qwen']);
    expect(JSON.stringify(back.messages)).toContain('"name":"echo","input":{"text":"from qwen"}');
  });
});
