import { PassThrough, Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChat } from '../../adapters/terminal/chat.js';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import {
  messageRequests,
  startFakeApp,
  toolResults,
  userTexts,
  type MessagesRequestBody,
} from '../helpers/fake-app.js';
import { gpuJobTool } from '../helpers/test-tools.js';
import { cleanup, testConfig } from '../helpers/test-app.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

const gpu = gpuJobTool();
const gpuRuns = gpu.runs;

let fake: FakeAnthropic;
let app: App | undefined;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake.close();
  gpuRuns.length = 0;
});

/** The app behind the chat: the real Anthropic SDK talking to the loopback fake. */
async function startApp(config = testConfig()): Promise<App> {
  app = await startFakeApp(fake, { config, tools: [gpu.spec] });
  return app;
}

/** Runs the chat over piped lines (a non-TTY stdin) and returns what it printed. */
async function chatWith(gateway: App, lines: string[]): Promise<string> {
  const output = new Capture();
  await runChat(gateway, {
    input: Readable.from([lines.map((l) => `${l}\n`).join('')]),
    output,
    color: false,
  });
  return output.text;
}

/** The fake model answers every request with `echo: <the last user text>`, 10 input tokens each. */
function echo(): void {
  fake.setDefault((body) => ({
    text: `echo: ${userTexts(body as MessagesRequestBody).at(-1) ?? ''}`,
    usage: { input_tokens: 10 },
  }));
}

describe('terminal chat over piped input', () => {
  it('sends each line as a turn, in order, and shows /status', async () => {
    echo();
    const app = await startApp();
    const out = await chatWith(app, ['hello', 'second message', '/status']);
    const requests = messageRequests(fake);
    expect(requests).toHaveLength(2);
    expect(userTexts(requests[1])).toEqual(['hello', 'second message']);
    const first = out.indexOf('echo: hello\n');
    const second = out.indexOf('echo: second message\n');
    expect(first).toBeGreaterThan(out.indexOf('you › hello\n'));
    expect(second).toBeGreaterThan(out.indexOf('you › second message\n'));
    expect(out.indexOf('you › second message')).toBeGreaterThan(first);
    expect(out).toContain('model     anthropic/claude-sonnet-5-5');
    expect(out).toContain('status    idle');
    expect(out).toMatch(/tokens {4}in 20 · out \d+ · cache read 0 · cache write 0/);
    expect(out).toMatch(/cost {6}\$\d+\.\d{4}\n/);
    expect(out).toMatch(/context {3}[\d,]+ \/ [\d,]+ tokens \(\d+%\)/);
  });

  it('/undo removes the last exchange from what the model sees', async () => {
    echo();
    const app = await startApp();
    const out = await chatWith(app, ['first', '/undo', 'again']);
    expect(out).toContain('· Undone: removed 2 messages.');
    const requests = messageRequests(fake);
    expect(userTexts(requests[1])).toEqual(['again']);
    expect(JSON.stringify(requests[1]?.messages)).not.toContain('first');
  });

  it('asks for approval; text other than y/n rejects with that feedback, which the model sees', async () => {
    fake.enqueue({
      text: 'Launching.',
      toolCalls: [{ name: 'launch_gpu_job', input: { flavor: 'a100-large' } }],
    });
    fake.setDefault((body) => ({
      text: `ok after: ${toolResults(body as MessagesRequestBody).at(-1) ?? ''}`,
    }));
    const app = await startApp();
    const out = await chatWith(app, ['train it', 'use a cpu instead']);
    expect(out).toContain('⚠ launch_gpu_job needs approval: launches a paid GPU job');
    expect(out).toContain('Approve launch_gpu_job(flavor=a100-large)? [y/n/feedback] use a cpu instead\n');
    expect(gpuRuns).toEqual([]);
    expect(toolResults(messageRequests(fake)[1])).toEqual([
      'The user rejected this call; it was not run. Their feedback: use a cpu instead',
    ]);
    expect(out).toContain('ok after: The user rejected this call');
  });

  it('runs the call when the answer is y', async () => {
    fake.enqueue(
      { toolCalls: [{ name: 'launch_gpu_job', input: { flavor: 't4-small' } }] },
      { text: 'Started.' },
    );
    const app = await startApp();
    const out = await chatWith(app, ['train it', 'y', '/status']);
    expect(gpuRuns).toEqual(['t4-small']);
    expect(toolResults(messageRequests(fake)[1])).toEqual(['job started on t4-small']);
    expect(out).toContain('  ⎿ job started on t4-small');
    expect(out).toContain('Started.\n');
    expect(out).toContain('status    idle');
  });

  it('keeps unknown commands and over-long input away from the model', async () => {
    echo();
    const app = await startApp();
    const out = await chatWith(app, ['/frobnicate', 'x'.repeat(100_001), '/help']);
    expect(messageRequests(fake)).toHaveLength(0);
    expect(out).toContain(
      'Unknown command /frobnicate. Commands: /status /model /undo /compact /new /help /quit',
    );
    expect(out).toContain('Not sent: the message has 100,001 characters; the limit is 100,000.');
    expect(out).toMatch(/\/undo +remove the last exchange/);
  });

  it('/model shows the model, refuses a name it cannot serve, and switches to one it can', async () => {
    echo();
    const app = await startApp();
    const out = await chatWith(app, ['/model', '/model vertex/gemini-3', '/model claude-opus-5-5', 'hi']);
    expect(out).toContain('Model: anthropic/claude-sonnet-5-5');
    expect(out).toMatch(/Unknown model provider "vertex".*anthropic\/, hf\/ or openai\//);
    expect(out).toContain('Model set to claude-opus-5-5 from the next message on.');
    expect(messageRequests(fake).map((r) => r.model)).toEqual(['claude-opus-5-5']);
  });

  it('/new follows the replacement session; the model starts from an empty history', async () => {
    echo();
    const app = await startApp();
    const out = await chatWith(app, ['remember me', '/new', 'who am I?', '/compact']);
    expect(out).toMatch(/· New session [0-9a-f-]{36}\./);
    expect(out).toContain('echo: who am I?');
    expect(userTexts(messageRequests(fake)[1])).toEqual(['who am I?']);
    expect(out).toContain('· Context compacted:');
  });

  it('waits for the end of /compact (operation_complete), so its error is shown before the next prompt', async () => {
    // One answer larger than a small window: compaction cannot shrink it, and the session ends.
    fake.enqueue({ text: 'x'.repeat(20_000), textChunkChars: 2_000, usage: { input_tokens: 10 } });
    const app = await startApp(testConfig({ contextWindowTokens: 4_000, compactionKeepRecent: 2 }));
    const out = await chatWith(app, ['hi', '/compact', 'still there?']);
    const compacted = out.indexOf('· Context compacted:');
    const tooLarge = out.indexOf('(context_too_large)');
    const nextPrompt = out.indexOf('you › still there?');
    expect(compacted).toBeGreaterThan(0);
    expect(tooLarge).toBeGreaterThan(compacted);
    expect(nextPrompt).toBeGreaterThan(tooLarge);
    // The next message gets its own answer from the ended session, after its prompt.
    expect(out.indexOf('(session_ended)')).toBeGreaterThan(nextPrompt);
    expect(messageRequests(fake)).toHaveLength(1);
  });

  it('stops at /quit without reading further lines', async () => {
    echo();
    const app = await startApp();
    const out = await chatWith(app, ['/quit', 'never sent']);
    expect(messageRequests(fake)).toHaveLength(0);
    expect(out).not.toContain('never sent');
  });
});

describe('terminal chat on a terminal', () => {
  it('Ctrl+C interrupts a running turn; Ctrl+C twice at the prompt quits', async () => {
    // The model streams one piece of its answer, then goes silent with the connection open.
    fake.enqueue({ text: 'Thinking, and then too late', textChunkChars: 8, hangAfterChunks: 1 });
    const app = await startApp();
    const input = new PassThrough();
    const output = new Capture();
    const done = runChat(app, { input, output, color: false, terminal: true });
    input.write('slow task\r');
    while (!output.text.includes('Thinking')) await new Promise((r) => setTimeout(r, 10));
    input.write('\u0003');
    // The prompt is back once the turn has stopped: only then is Ctrl+C the "at the prompt" one.
    const promptAfterInterrupt = () => {
      const at = output.text.indexOf('■ Interrupted.');
      return at >= 0 && output.text.indexOf('you › ', at) > at;
    };
    while (!promptAfterInterrupt()) await new Promise((r) => setTimeout(r, 10));
    input.write('\u0003');
    input.write('\u0003');
    await done;
    expect(output.text).toContain('■ Interrupting…');
    expect(output.text).toContain('(Press Ctrl+C again or Ctrl+D to quit.)');
    expect(output.text).not.toContain('too late');
  });

  it('shows what arrives while the user sits at the prompt (a job status line), and redraws the prompt', async () => {
    echo();
    const app = await startApp();
    const input = new PassThrough();
    const output = new Capture();
    const done = runChat(app, { input, output, color: false, terminal: true });
    input.write('hello\r');
    while (!output.text.includes('echo: hello')) await new Promise((r) => setTimeout(r, 10));
    // No command runs now: a job update for the chat's session must still be shown.
    const sessions = await app.redis.keys(`${app.keys.prefix}:session:*`);
    const id =
      sessions.map((k) => /\{([0-9a-f-]{36})\}/.exec(k)?.[1]).find((k): k is string => k !== undefined) ?? '';
    await app.events.emit(id, {
      type: 'job_update',
      namespace: 'intern',
      jobId: 'job123abc',
      url: 'https://huggingface.co/jobs/intern/job123abc',
      stage: 'RUNNING',
      flavor: 'a10g-small',
      elapsedSeconds: 192,
      costSoFarUsd: 0.05,
      logTail: ['step 10: loss 1.2'],
      final: false,
    });
    const deadline = Date.now() + 5_000;
    while (!output.text.includes('job job123abc RUNNING') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    if (!output.text.includes('job job123abc')) throw new Error(`not shown (session ${id}):\n${output.text}`);
    const after = output.text.slice(output.text.indexOf('job job123abc RUNNING'));
    expect(after).toContain('you › ');
    input.write('\u0004');
    await done;
  });
});
