import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { App } from '../../src/cli/app.js';
import { defineTool } from '../../src/core/tool-spec.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { messageRequests, startFakeApp, toolResults } from '../helpers/fake-app.js';
import { REDIS_URL, cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';
import { effectTool } from '../helpers/test-tools.js';

// The research sub-agent through the real agent loop and the real Anthropic SDK on loopback: the
// main model calls `research`, the same fake then plays the sub-agent.
let fake: FakeAnthropic;
let app: App | undefined;
const reads: string[] = [];
const writes: string[] = [];
const counterKey = `research-test-jobs-${process.pid}`;
const redis = new Redis(REDIS_URL);

/** Declares itself read-only and only reads. */
const probeRead = defineTool({
  name: 'probe_read',
  description: 'Reads a note.',
  parameters: z.object({ q: z.string() }),
  sideEffects: false,
  readOnly: true,
  needsApproval: () => undefined,
  execute: (args) => {
    reads.push(args.q);
    return Promise.resolve({ output: `note about ${args.q}: use lr 2e-4` });
  },
});

/** Wrongly declares itself read-only, but its own policy asks a human for `write`: research must still refuse. */
const probeWrite = defineTool({
  name: 'probe_write',
  description: 'Reads or writes a note.',
  parameters: z.object({ operation: z.enum(['read', 'write']) }),
  sideEffects: true,
  readOnly: true,
  needsApproval: (args) => (args.operation === 'write' ? 'writes a note' : undefined),
  execute: (args) => {
    writes.push(args.operation);
    return Promise.resolve({ output: 'written' });
  },
});

beforeEach(async () => {
  fake = await startFakeAnthropic();
  reads.length = 0;
  writes.length = 0;
  await redis.del(counterKey);
});
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake.close();
});

describe('research', () => {
  it('runs a read-only sub-agent whose spend counts, and never runs a call that needs approval', async () => {
    fake.enqueue(
      { toolCalls: [{ name: 'research', input: { task: 'best LoRA learning rate for Llama 3 8B' } }] },
      {
        toolCalls: [
          { name: 'probe_read', input: { q: 'lora' } },
          { name: 'probe_write', input: { operation: 'write' } },
          { name: 'launch_job', input: { name: 'sneaky' } },
        ],
        usage: { input_tokens: 1_000, output_tokens: 100 },
      },
      { text: 'REPORT: use lr 2e-4 (source: note).', usage: { input_tokens: 2_000, output_tokens: 50 } },
      { text: 'The research says lr 2e-4.' },
    );
    app = await startFakeApp(fake, {
      tools: [probeRead, probeWrite, effectTool(counterKey, { approve: false })],
    });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await app.operations.submit(sessionId, { type: 'user_input', text: 'what lr?' }, 'u1');
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete');

    expect(events.at(-1)).toMatchObject({ outcome: 'done' });
    expect(events.some((e) => e.type === 'approval_required')).toBe(false);
    expect(reads).toEqual(['lora']);
    expect(writes).toEqual([]);
    expect(await redis.get(counterKey)).toBeNull();

    const requests = messageRequests(fake);
    expect(requests).toHaveLength(4);
    // The sub-agent has its own context and sees only the read-only tools.
    const sub = requests[1] as unknown as { system: Array<{ text: string }>; tools: Array<{ name: string }> };
    expect(sub.system[0]?.text).toContain('research assistant');
    const subTools = sub.tools.map((t) => t.name);
    expect(subTools).toEqual(
      expect.arrayContaining(['probe_read', 'probe_write', 'explore_hf_docs', 'hf_papers']),
    );
    for (const hidden of ['launch_job', 'research', 'plan_tool']) expect(subTools).not.toContain(hidden);
    const subResults = toolResults(requests[2]);
    expect(subResults[0]).toBe('note about lora: use lr 2e-4');
    expect(subResults[1]).toMatch(
      /^Refused: research cannot run calls that need a human's approval \(writes a note\)/,
    );
    expect(subResults[2]).toMatch(/^Unknown tool "launch_job"/);
    // The main agent gets the report, not the sub-agent's pages.
    expect(toolResults(requests[3])).toEqual(['REPORT: use lr 2e-4 (source: note).']);

    const logs = events.flatMap((e) => (e.type === 'tool_log' ? [e.log] : []));
    expect(logs[0]).toContain('research: best LoRA learning rate');
    expect(logs).toContain('research: probe_read q=lora');
    expect(logs.some((l) => l.startsWith('research: refused probe_write'))).toBe(true);
    expect(logs.at(-1)).toMatch(/research: done after 2 model call\(s\), 3 tool call\(s\)/);

    // The sub-agent's 3,150 tokens are in the session's spend and in the turn's.
    const summary = await app.session(sessionId);
    expect(summary!.inputTokens).toBeGreaterThanOrEqual(3_000);
    const done = events.find((e) => e.type === 'turn_complete') as {
      usage: { inputTokens: number };
      costUsd: number;
    };
    expect(done.usage.inputTokens).toBeGreaterThanOrEqual(3_000);
    expect(done.costUsd).toBeGreaterThan((3_000 * 2) / 1e6);
  });

  it('refuses the writing operations of the real Hub tools, without a request to the Hub', async () => {
    fake.enqueue(
      { toolCalls: [{ name: 'research', input: { task: 'publish the notes' } }] },
      {
        toolCalls: [
          {
            name: 'hf_repo_files',
            input: { operation: 'upload', repo_id: 'me/notes', path: 'a.md', content: 'x' },
          },
          { name: 'hf_repo_git', input: { operation: 'merge_pr', repo_id: 'me/notes', pr_num: 1 } },
        ],
      },
      { text: 'REPORT: could not publish; the main agent must.' },
      { text: 'ok' },
    );
    app = await startFakeApp(fake);
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await app.operations.submit(sessionId, { type: 'user_input', text: 'go' }, 'u1');
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete');
    expect(events.some((e) => e.type === 'approval_required')).toBe(false);
    const results = toolResults(messageRequests(fake)[2]);
    expect(results[0]).toMatch(/^Refused: research may only use hf_repo_files to list, read; "upload"/);
    expect(results[1]).toMatch(
      /^Refused: research may only use hf_repo_git to list_refs, list_prs, get_pr; "merge_pr"/,
    );
  });

  it('stops at its iteration cap and writes the report without tools', async () => {
    fake.enqueue(
      { toolCalls: [{ name: 'research', input: { task: 'dig forever' } }] },
      { toolCalls: [{ name: 'probe_read', input: { q: 'one' } }] },
      { text: 'REPORT: partial.' },
      { text: 'ok' },
    );
    app = await startFakeApp(fake, {
      config: testConfig({ research: { maxIterations: 2 } }),
      tools: [probeRead],
    });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await app.operations.submit(sessionId, { type: 'user_input', text: 'go' }, 'u1');
    await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete');
    const last = messageRequests(fake)[2] as unknown as { tools?: unknown[]; messages: unknown[] };
    expect(last.tools ?? []).toEqual([]);
    expect(JSON.stringify(last.messages)).toContain('Your research budget is spent');
    expect(toolResults(messageRequests(fake)[3])).toEqual(['REPORT: partial.']);
  });
});
