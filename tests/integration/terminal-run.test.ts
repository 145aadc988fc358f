import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { HEADLESS_REFUSAL, runHeadless } from '../../adapters/terminal/headless-run.js';
import type { App } from '../../src/cli/app.js';
import { LlmError } from '../../src/core/errors.js';
import { ScriptedProvider, type ScriptedReply } from '../../src/llm/scripted-provider.js';
import type { LlmRequest } from '../../src/core/llm-provider.js';
import { gpuJobTool } from '../helpers/test-tools.js';
import { cleanup, testApp } from '../helpers/test-app.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The tool result the model saw in its latest request. */
function lastToolResult(request: LlmRequest | undefined): string | undefined {
  const tool = [...(request?.messages ?? [])].reverse().find((m) => m.role === 'tool');
  return tool?.content;
}

let app: App | undefined;
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
});

async function startApp(
  script: (req: LlmRequest, i: number) => ScriptedReply,
  extraTools = [gpuJobTool().spec],
) {
  const llm = new ScriptedProvider(script);
  app = testApp({ llm, extraTools });
  await app.startWorkers();
  return { app, llm };
}

function io() {
  return { stdout: new Capture(), stderr: new Capture() };
}

describe('headless run', () => {
  it('prints only the answer on stdout and exits 0', async () => {
    const { app } = await startApp((_r, i) =>
      i === 0
        ? {
            text: 'Planning.',
            chunks: 2,
            toolCalls: [
              { name: 'plan_tool', input: { todos: [{ id: '1', content: 'read', status: 'completed' }] } },
            ],
          }
        : { text: 'The answer is 42.', chunks: 4 },
    );
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'What is the answer?', yes: false, stdout, stderr });
    expect(code).toBe(0);
    expect(stdout.text).toBe('Planning.\nThe answer is 42.\n');
    expect(stderr.text).toContain('▸ plan_tool');
    expect(stderr.text).toContain('☑ read');
  });

  it('prints a whole assistant_message when streaming is off', async () => {
    const { app, llm } = await startApp(() => ({ text: 'Whole answer.', chunks: 3 }));
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'hi', yes: false, stream: false, stdout, stderr });
    expect(code).toBe(0);
    expect(stdout.text).toBe('Whole answer.\n');
    expect(llm.requests[0]?.stream).toBe(false);
  });

  it('exits 1 with the error on stderr when the model fails', async () => {
    const { app } = await startApp(() => {
      throw new LlmError('upstream overloaded', { status: 529 });
    });
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'hi', yes: false, stdout, stderr });
    expect(code).toBe(1);
    expect(stdout.text).toBe('');
    expect(stderr.text).toContain('✗ The language model failed: upstream overloaded (llm_error)');
  });

  it('exits 1 when the turn hits the iteration limit', async () => {
    const { app } = await startApp(() => ({
      toolCalls: [{ name: 'plan_tool', input: { todos: [] } }],
    }));
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'loop', yes: false, maxIterations: 2, stdout, stderr });
    expect(code).toBe(1);
    expect(stderr.text).toContain('Stopped after 2 iterations');
  });

  it('refuses calls that need approval without --yes, and the turn goes on', async () => {
    const gpu = gpuJobTool();
    const { app, llm } = await startApp(
      (_r, i) =>
        i === 0
          ? { toolCalls: [{ name: 'launch_gpu_job', input: { flavor: 'a100-large' } }] }
          : { text: 'I did not launch it.' },
      [gpu.spec],
    );
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'train', yes: false, stdout, stderr });
    expect(code).toBe(0);
    expect(gpu.runs).toEqual([]);
    expect(stderr.text).toContain(`Refused launch_gpu_job: ${HEADLESS_REFUSAL}`);
    expect(lastToolResult(llm.requests[1])).toContain(`Their feedback: ${HEADLESS_REFUSAL}`);
    expect(stdout.text).toBe('I did not launch it.\n');
  });

  it('runs calls that need approval with --yes', async () => {
    const gpu = gpuJobTool();
    const { app, llm } = await startApp(
      (_r, i) =>
        i === 0
          ? { toolCalls: [{ name: 'launch_gpu_job', input: { flavor: 't4-small' } }] }
          : { text: 'Launched.' },
      [gpu.spec],
    );
    const { stdout, stderr } = io();
    const code = await runHeadless(app, { prompt: 'train', yes: true, stdout, stderr });
    expect(code).toBe(0);
    expect(gpu.runs).toEqual(['t4-small']);
    expect(lastToolResult(llm.requests[1])).toBe('job started on t4-small');
    expect(stderr.text).toContain('▸ launch_gpu_job flavor=t4-small');
    expect(stdout.text).toBe('Launched.\n');
  });

  it('interrupts the turn when the signal aborts, and exits 1', async () => {
    const { app, llm } = await startApp(() => ({ text: 'too late', delayMs: 20_000 }));
    const { stdout, stderr } = io();
    const controller = new AbortController();
    const running = runHeadless(app, {
      prompt: 'slow',
      yes: false,
      stdout,
      stderr,
      signal: controller.signal,
    });
    while (llm.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const started = Date.now();
    expect(await running).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(stderr.text).toContain('■ Interrupted.');
    expect(stdout.text).toBe('');
  });

  it('refuses an empty prompt without starting a session', async () => {
    const { app, llm } = await startApp(() => ({ text: 'never' }));
    const { stdout, stderr } = io();
    expect(await runHeadless(app, { prompt: '   ', yes: false, stdout, stderr })).toBe(1);
    expect(stderr.text).toBe('The prompt is empty.\n');
    expect(llm.requests).toHaveLength(0);
  });
});
