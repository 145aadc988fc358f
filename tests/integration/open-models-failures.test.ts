import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { freePort } from '../../src/cli/free-port.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai.js';
import { capturedLogger } from '../helpers/captured-logger.js';
import { cleanup, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';

// Bad input around open models: each case gets a short message for the user, a log line with the
// reason, no secret anywhere, and the session keeps what it had.
const HF_TOKEN = 'hf_failureTestsRightToken00000000000';
const WRONG_TOKEN = 'hf_failureTestsWRONGtoken00000000000';
const LISTED = {
  id: 'moonshotai/Kimi-K2.6',
  providers: [
    { provider: 'groq', context_length: 131_072, pricing: { input: 1, output: 3 }, supports_tools: true },
  ],
};

let app: App | undefined;
const fakes: FakeOpenAi[] = [];
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function router(options: Parameters<typeof startFakeOpenAi>[0] = {}): Promise<FakeOpenAi> {
  const fake = await startFakeOpenAi({ apiKey: HF_TOKEN, models: [LISTED], ...options });
  fakes.push(fake);
  return fake;
}

async function appWith(
  model: string,
  endpoints: { router?: FakeOpenAi; token?: string; openaiURL?: string },
  logger = capturedLogger(),
) {
  app = testApp({
    config: testConfig({ model, llm: { maxRetries: 1 } }),
    logger: logger.logger,
    ...(endpoints.router
      ? { hfRouter: { token: endpoints.token ?? HF_TOKEN, baseURL: endpoints.router.url } }
      : {}),
    ...(endpoints.openaiURL ? { openai: { baseURL: endpoints.openaiURL } } : {}),
  });
  await app.startWorkers();
  const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
  return { app, sessionId, logger };
}

async function failedTurn(sessionId: string, text = 'hello') {
  await app!.operations.submit(sessionId, { type: 'user_input', text }, 'u1');
  const { events } = await waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete');
  expect(events.at(-1)).toMatchObject({ type: 'operation_complete', outcome: 'error' });
  const errors = events.filter((e) => e.type === 'error');
  expect(errors).toHaveLength(1);
  // Nothing lost: the user's message stays in the history for the next try.
  expect((await app!.history.load(sessionId)).map((m) => m.role === 'user' && m.content)).toEqual([text]);
  return errors[0] as { code: string; message: string };
}

describe('model names a thread or the terminal can switch to', () => {
  it('refuses an unknown provider prefix, naming the ones that exist', async () => {
    const { sessionId } = await appWith('hf/moonshotai/Kimi-K2.6', { router: await router() });
    await expect(app!.configureSession(sessionId, { model: 'vertex/gemini-3' })).rejects.toMatchObject({
      code: 'unknown_provider',
      message: expect.stringMatching(/anthropic\/, hf\/ or openai\//) as unknown,
    });
    expect((await app!.session(sessionId))?.model).toBe('hf/moonshotai/Kimi-K2.6');
  });

  it('refuses a model the router does not list, suggesting the close one, and a provider that does not serve it', async () => {
    const { sessionId } = await appWith('hf/moonshotai/Kimi-K2.6', { router: await router() });
    await expect(
      app!.configureSession(sessionId, { model: 'hf/moonshotai/Kimi-K2.9' }),
    ).rejects.toMatchObject({
      code: 'unknown_model',
      message: expect.stringContaining('Did you mean hf/moonshotai/Kimi-K2.6?') as unknown,
    });
    await expect(
      app!.configureSession(sessionId, { model: 'hf/moonshotai/Kimi-K2.6:together' }),
    ).rejects.toMatchObject({
      code: 'unknown_model',
      message: expect.stringContaining('live providers: groq') as unknown,
    });
    await app!.configureSession(sessionId, { model: 'hf/moonshotai/Kimi-K2.6:groq' });
    expect((await app!.session(sessionId))?.model).toBe('hf/moonshotai/Kimi-K2.6:groq');
  });

  it('refuses hf/ without HF_TOKEN and openai/ without OPENAI_BASE_URL, saying which variable to set', async () => {
    app = testApp({ config: testConfig({ model: 'anthropic/claude-sonnet-5-5' }) });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await expect(app.configureSession(sessionId, { model: 'hf/moonshotai/Kimi-K2.6' })).rejects.toMatchObject(
      {
        code: 'no_api_key',
        message: expect.stringContaining('set HF_TOKEN') as unknown,
      },
    );
    await expect(app.configureSession(sessionId, { model: 'openai/llama3.1' })).rejects.toMatchObject({
      code: 'no_api_key',
      message: expect.stringContaining('set OPENAI_BASE_URL') as unknown,
    });
  });
});

describe('failures at call time', () => {
  it('a 401 from the router: one message naming HF_TOKEN, no retry, the token nowhere', async () => {
    const fake = await router();
    const { sessionId, logger } = await appWith('hf/moonshotai/Kimi-K2.6:groq', {
      router: fake,
      token: WRONG_TOKEN,
    });
    const error = await failedTurn(sessionId);
    expect(error.code).toBe('llm_auth');
    expect(error.message).toMatch(/rejected the credentials \(401\); check HF_TOKEN/);
    expect(fake.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
    const logged = await logger.waitFor((l) => JSON.stringify(l).includes('llm_auth'));
    expect(JSON.stringify(logged)).toContain('401');
    expect(JSON.stringify(logger.lines)).not.toContain(WRONG_TOKEN);
  });

  it('a model the router cannot route (400 model_not_supported): says which model', async () => {
    const fake = await router({ strictModels: true, models: [] });
    const { sessionId } = await appWith('hf/someone/retired-model', { router: fake });
    const error = await failedTurn(sessionId);
    expect(error.code).toBe('llm_model_not_found');
    expect(error.message).toContain('does not serve the model "someone/retired-model"');
  });

  it('a local server that is not running: says it could not reach it, and where', async () => {
    const url = `http://127.0.0.1:${await freePort()}/v1`;
    const { sessionId, logger } = await appWith('openai/llama3.1', { openaiURL: url });
    const error = await failedTurn(sessionId);
    expect(error.code).toBe('llm_connection');
    expect(error.message).toContain(`could not reach the OpenAI-compatible server at ${url} (ECONNREFUSED`);
    // One retry was allowed, and logged with its reason.
    await logger.waitFor((l) => typeof l.msg === 'string' && l.msg.includes('call failed, retrying'));
  });
});
