import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEADLESS_REFUSAL, runHeadless } from '../../adapters/terminal/headless-run.js';
import type { App } from '../../src/cli/app.js';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { messageRequests, startFakeApp, toolResults } from '../helpers/fake-app.js';
import { gpuJobTool } from '../helpers/test-tools.js';
import { cleanup, testConfig } from '../helpers/test-app.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

let fake: FakeAnthropic;
let app: App | undefined;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake.close();
});

/** The app behind the run (the real Anthropic SDK against the fake), and the sessions it starts. */
async function startApp(tools: AnyToolSpec[] = [gpuJobTool().spec], config = testConfig()) {
  const started = await startFakeApp(fake, { config, tools });
  app = started;
  const sessions: string[] = [];
  const startSession = started.startSession.bind(started);
  started.startSession = async (request) => {
    const id = await startSession(request);
    sessions.push(id);
    return id;
  };
  return { app: started, sessions };
}

function io() {
  return { stdout: new Capture(), stderr: new Capture() };
}

describe('headless run', () => {
  it('prints only the answer on stdout and exits 0', async () => {
    fake.enqueue(
      {
        text: 'Planning.',
        toolCalls: [
          { name: 'plan_tool', input: { todos: [{ id: '1', content: 'read', status: 'completed' }] } },
        ],
      },
      { text: 'The answer is 42.' },
    );
    const { app } = await startApp();
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'What is the answer?', yes: false, stdout, stderr });
    expect(code).toBe(0);
    expect(stdout.text).toBe('Planning.\nThe answer is 42.\n');
    expect(stderr.text).toContain('▸ plan_tool');
    expect(stderr.text).toContain('☑ read');
  });

  it('prints a whole assistant_message when streaming is off', async () => {
    // The fake streams the answer in many deltas; with streaming off the session shows it once.
    fake.enqueue({ text: 'Whole answer.', textChunkChars: 3 });
    const { app, sessions } = await startApp();
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'hi', yes: false, stream: false, stdout, stderr });
    expect(code).toBe(0);
    expect(stdout.text).toBe('Whole answer.\n');
    const events = (await app.events.read(sessions[0] ?? '', '0')).map((e) => e.event);
    expect(events.filter((e) => e.type === 'assistant_chunk')).toEqual([]);
    expect(events.filter((e) => e.type === 'assistant_message')).toMatchObject([{ text: 'Whole answer.' }]);
  });

  it('exits 1 with the error on stderr when the model fails', async () => {
    // Overloaded on every attempt; the retry comes at once (retry-after-ms: 0).
    fake.setDefault(() => ({
      status: 529,
      errorMessage: 'upstream overloaded',
      headers: { 'retry-after-ms': '0' },
    }));
    const { app } = await startApp([gpuJobTool().spec], testConfig({ llm: { maxRetries: 1 } }));
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'hi', yes: false, stdout, stderr });
    expect(code).toBe(1);
    expect(stdout.text).toBe('');
    expect(stderr.text).toMatch(/✗ The language model failed: .*upstream overloaded \(llm_overloaded\)/);
    expect(messageRequests(fake)).toHaveLength(2);
  });

  it('exits 1 when the turn hits the iteration limit', async () => {
    fake.setDefault(() => ({ toolCalls: [{ name: 'plan_tool', input: { todos: [] } }] }));
    const { app } = await startApp();
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'loop', yes: false, maxIterations: 2, stdout, stderr });
    expect(code).toBe(1);
    expect(stderr.text).toContain('Stopped after 2 iterations');
  });

  it('refuses calls that need approval without --yes, and the turn goes on', async () => {
    const gpu = gpuJobTool();
    fake.enqueue(
      { toolCalls: [{ name: 'launch_gpu_job', input: { flavor: 'a100-large' } }] },
      { text: 'I did not launch it.' },
    );
    const { app } = await startApp([gpu.spec]);
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'train', yes: false, stdout, stderr });
    expect(code).toBe(0);
    expect(gpu.runs).toEqual([]);
    expect(stderr.text).toContain(`Refused launch_gpu_job: ${HEADLESS_REFUSAL}`);
    expect(toolResults(messageRequests(fake)[1]).at(-1)).toContain(`Their feedback: ${HEADLESS_REFUSAL}`);
    expect(stdout.text).toBe('I did not launch it.\n');
  });

  it('runs calls that need approval with --yes', async () => {
    const gpu = gpuJobTool();
    fake.enqueue(
      { toolCalls: [{ name: 'launch_gpu_job', input: { flavor: 't4-small' } }] },
      { text: 'Launched.' },
    );
    const { app } = await startApp([gpu.spec]);
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'train', yes: true, stdout, stderr });
    expect(code).toBe(0);
    expect(gpu.runs).toEqual(['t4-small']);
    expect(toolResults(messageRequests(fake)[1]).at(-1)).toBe('job started on t4-small');
    expect(stderr.text).toContain('▸ launch_gpu_job flavor=t4-small');
    expect(stdout.text).toBe('Launched.\n');
  });

  it('interrupts the turn when the signal aborts, and exits 1', async () => {
    // The model goes silent with the connection open: only the interrupt can end this turn.
    fake.enqueue({ text: 'too late', hangAfterChunks: 0 });
    const { app } = await startApp();
    const { stdout, stderr } = io();
    const controller = new AbortController();
    const running = runHeadless(app, {
      prompt: 'slow',
      yes: false,
      stdout,
      stderr,
      signal: controller.signal,
    });
    while (messageRequests(fake).length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await running).toBe(1);
    expect(stderr.text).toContain('■ Interrupted.');
    expect(stdout.text).toBe('');
  });

  it('refuses an empty prompt without starting a session', async () => {
    const { app, sessions } = await startApp();
    const { stdout, stderr } = io();
    expect(await runHeadless(app, { prompt: '   ', yes: false, stdout, stderr })).toBe(1);
    expect(stderr.text).toBe('The prompt is empty.\n');
    expect(messageRequests(fake)).toHaveLength(0);
    expect(sessions).toEqual([]);
  });
});
