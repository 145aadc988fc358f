import { PassThrough, Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runChat } from '../../adapters/terminal/chat.js';
import type { App } from '../../src/cli/app.js';
import type { LlmRequest } from '../../src/core/llm-provider.js';
import { ScriptedProvider, type ScriptedReply } from '../../src/llm/scripted-provider.js';
import { gpuJobTool } from '../helpers/test-tools.js';
import { cleanup, testApp } from '../helpers/test-app.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

const gpu = gpuJobTool();
const gpuRuns = gpu.runs;

let app: App | undefined;
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  gpuRuns.length = 0;
});

async function startApp(script: (req: LlmRequest, i: number) => ScriptedReply) {
  const llm = new ScriptedProvider(script);
  app = testApp({ llm, extraTools: [gpu.spec] });
  await app.startWorkers();
  return { app, llm };
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

/** The user messages (not tool results or notes) a request carried, in order. */
function userTexts(request: LlmRequest | undefined): string[] {
  return (request?.messages ?? []).flatMap((m) => (m.role === 'user' && !m.synthetic ? [m.content] : []));
}

const echo = (req: LlmRequest): ScriptedReply => ({
  text: `echo: ${userTexts(req).at(-1) ?? ''}`,
  chunks: 3,
});

describe('terminal chat over piped input', () => {
  it('sends each line as a turn, in order, and shows /status', async () => {
    const { app, llm } = await startApp(echo);
    const out = await chatWith(app, ['hello', 'second message', '/status']);
    expect(llm.requests).toHaveLength(2);
    expect(userTexts(llm.requests[1])).toEqual(['hello', 'second message']);
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
    const { app, llm } = await startApp(echo);
    const out = await chatWith(app, ['first', '/undo', 'again']);
    expect(out).toContain('· Undone: removed 2 messages.');
    expect(userTexts(llm.requests[1])).toEqual(['again']);
    // `requests` keeps the live history array, so look for absence rather than count messages.
    expect(JSON.stringify(llm.requests[1]?.messages)).not.toContain('first');
  });

  it('asks for approval; text other than y/n rejects with that feedback, which the model sees', async () => {
    const { app, llm } = await startApp((req, i) =>
      i === 0
        ? { text: 'Launching.', toolCalls: [{ name: 'launch_gpu_job', input: { flavor: 'a100-large' } }] }
        : { text: `ok after: ${[...req.messages].reverse().find((m) => m.role === 'tool')?.content ?? ''}` },
    );
    const out = await chatWith(app, ['train it', 'use a cpu instead']);
    expect(out).toContain('⚠ launch_gpu_job needs approval: launches a paid GPU job');
    expect(out).toContain('Approve launch_gpu_job(flavor=a100-large)? [y/n/feedback] use a cpu instead\n');
    expect(gpuRuns).toEqual([]);
    const tool = llm.requests[1]?.messages.find((m) => m.role === 'tool');
    expect(tool?.content).toBe(
      'The user rejected this call; it was not run. Their feedback: use a cpu instead',
    );
    expect(out).toContain('ok after: The user rejected this call');
  });

  it('runs the call when the answer is y', async () => {
    const { app, llm } = await startApp((_req, i) =>
      i === 0
        ? { toolCalls: [{ name: 'launch_gpu_job', input: { flavor: 't4-small' } }] }
        : { text: 'Started.' },
    );
    const out = await chatWith(app, ['train it', 'y', '/status']);
    expect(gpuRuns).toEqual(['t4-small']);
    expect(llm.requests[1]?.messages.find((m) => m.role === 'tool')?.content).toBe('job started on t4-small');
    expect(out).toContain('  ⎿ job started on t4-small');
    expect(out).toContain('Started.\n');
    expect(out).toContain('status    idle');
  });

  it('keeps unknown commands and over-long input away from the model', async () => {
    const { app, llm } = await startApp(echo);
    const out = await chatWith(app, ['/frobnicate', 'x'.repeat(100_001), '/help']);
    expect(llm.requests).toHaveLength(0);
    expect(out).toContain('Unknown command /frobnicate. Commands: /status /undo /compact /new /help /quit');
    expect(out).toContain('Not sent: the message has 100,001 characters; the limit is 100,000.');
    expect(out).toMatch(/\/undo +remove the last exchange/);
  });

  it('/new follows the replacement session; the model starts from an empty history', async () => {
    const { app, llm } = await startApp(echo);
    const out = await chatWith(app, ['remember me', '/new', 'who am I?', '/compact']);
    expect(out).toMatch(/· New session [0-9a-f-]{36}\./);
    expect(out).toContain('echo: who am I?');
    expect(userTexts(llm.requests[1])).toEqual(['who am I?']);
    expect(out).toContain('· Context compacted:');
  });

  it('stops at /quit without reading further lines', async () => {
    const { app, llm } = await startApp(echo);
    const out = await chatWith(app, ['/quit', 'never sent']);
    expect(llm.requests).toHaveLength(0);
    expect(out).not.toContain('never sent');
  });
});

describe('terminal chat on a terminal', () => {
  it('Ctrl+C interrupts a running turn; Ctrl+C twice at the prompt quits', async () => {
    const { app, llm } = await startApp(() => ({ text: 'too late', delayMs: 20_000 }));
    const input = new PassThrough();
    const output = new Capture();
    const done = runChat(app, { input, output, color: false, terminal: true });
    input.write('slow task\r');
    while (llm.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    input.write('\u0003');
    while (!output.text.includes('■ Interrupted.')) await new Promise((r) => setTimeout(r, 10));
    input.write('\u0003');
    input.write('\u0003');
    await done;
    expect(output.text).toContain('■ Interrupting…');
    expect(output.text).toContain('(Press Ctrl+C again or Ctrl+D to quit.)');
    expect(output.text).not.toContain('too late');
  });
});
