import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import type { AgentEvent } from '../../src/core/events.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai.js';
import { VLLM_ERRORS } from '../fakes/fake-openai-errors.js';
import { startOpenModelApp } from '../helpers/fake-app.js';
import { chatRequests, textOf, userTexts, type ChatRequestBody } from '../helpers/openai-requests.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';
import { echoTool } from '../helpers/test-tools.js';

// Compaction (the reference agent's: first user message and recent tail kept, the middle
// summarised by the model) with an `openai/<model>` provider against a loopback vLLM.
let fake: FakeOpenAi;
let app: App | undefined;
beforeEach(async () => {
  fake = await startFakeOpenAi({ flavor: 'vllm' });
});
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake.close();
});

/** A small window so one reported prompt crosses the 90% threshold. */
async function startApp(): Promise<{ app: App; sessionId: string }> {
  app = await startOpenModelApp(
    { openai: fake },
    {
      config: testConfig({ model: 'openai/qwen3-8b', contextWindowTokens: 20_000, compactionKeepRecent: 2 }),
      tools: [echoTool],
    },
  );
  return { app, sessionId: await app.startSession({ owner: 'u1', platform: 'terminal' }) };
}

async function ask(sessionId: string, text: string, after?: string) {
  await app!.operations.submit(sessionId, { type: 'user_input', text }, 'u1');
  return waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete', after ? { after } : {});
}

/**
 * The ways a request can break the Chat Completions pairing rule: a `tool` message that does not
 * answer an unanswered call of the assistant message before it, or anything else before all of
 * that message's calls are answered.
 */
function pairingProblems(body: ChatRequestBody | undefined): string[] {
  const problems: string[] = [];
  let open = new Set<string>();
  for (const [i, m] of (body?.messages ?? []).entries()) {
    if (m.role === 'tool') {
      if (!open.delete(m.tool_call_id ?? '')) problems.push(`#${i}: orphan tool ${m.tool_call_id}`);
      continue;
    }
    if (open.size > 0) problems.push(`#${i}: ${m.role} before the results of ${[...open].join(', ')}`);
    open = new Set((m.tool_calls ?? []).map((c) => c.id));
  }
  if (open.size > 0) problems.push(`end: unanswered ${[...open].join(', ')}`);
  return problems;
}

function compactedOf(events: AgentEvent[]): Extract<AgentEvent, { type: 'compacted' }> {
  const compacted = events.find((e) => e.type === 'compacted');
  if (compacted?.type !== 'compacted')
    throw new Error(`no compacted event in ${events.map((e) => e.type).join(', ')}`);
  return compacted;
}

describe('compaction with openai/<model>', () => {
  it('summarises the middle when a reply reports a prompt over the threshold, then goes on with the summary', async () => {
    const { sessionId } = await startApp();
    fake.enqueue(
      { text: 'a', usage: { prompt_tokens: 100, completion_tokens: 1 } },
      {
        toolCalls: [{ name: 'echo', input: { text: 'middle call' } }],
        usage: { prompt_tokens: 200, completion_tokens: 9 },
      },
      { text: 'b', usage: { prompt_tokens: 300, completion_tokens: 1 } },
    );
    let { lastId } = await ask(sessionId, 'first question');
    ({ lastId } = await ask(sessionId, 'second', lastId));
    // Two calls whose reply reports 19,500 prompt tokens (over 90% of 20,000): the turn compacts
    // after running them, before its next request, with the calls and results as the tail.
    fake.enqueue(
      {
        text: 'Echoing twice.',
        toolCalls: [
          { name: 'echo', input: { text: 'one' } },
          { name: 'echo', input: { text: 'two' } },
        ],
        usage: { prompt_tokens: 19_500, completion_tokens: 20 },
      },
      { text: 'SUMMARY: the user asked for echoes.' },
      { text: 'final answer' },
    );
    const { events } = await ask(sessionId, 'third', lastId);

    const compacted = compactedOf(events);
    expect(compacted.oldTokens).toBeGreaterThanOrEqual(19_500);
    expect(compacted.newTokens).toBeLessThan(compacted.oldTokens);
    expect(events.filter((e) => e.type === 'tool_output')).toHaveLength(2);
    expect(events.find((e) => e.type === 'turn_complete')).toBeDefined();
    expect(events.some((e) => e.type === 'error')).toBe(false);

    const requests = chatRequests(fake);
    expect(requests).toHaveLength(6);
    const [summariser, next] = requests.slice(-2);
    // The summary request: no tools, streamed on the wire like every request, the middle as a transcript.
    expect(summariser?.model).toBe('qwen3-8b');
    expect(summariser?.tools).toBeUndefined();
    expect(summariser?.stream).toBe(true);
    expect(summariser?.stream_options).toEqual({ include_usage: true });
    expect(summariser?.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(textOf(summariser!.messages[0]!)).toContain('summarise');
    const transcript = textOf(summariser!.messages[1]!);
    expect(transcript).toContain('AGENT: a');
    expect(transcript).toContain('USER: second');
    expect(transcript).toContain('echo({"text":"middle call"})');
    expect(transcript).toContain('RESULT of echo: echo: middle call');
    expect(transcript).not.toContain('first question'); // kept verbatim, not summarised

    // The history: the first message, the summary note, then the verbatim tail.
    const history = await app!.history.load(sessionId);
    expect(history[0]).toMatchObject({ role: 'user', content: 'first question' });
    expect(history[1]).toMatchObject({ role: 'user', synthetic: 'summary' });
    expect(history[1]?.content).toContain('SUMMARY: the user asked for echoes.');
    expect(history.slice(2).map((m) => m.role)).toEqual(['assistant', 'tool', 'tool', 'assistant']);
    expect(history.at(-1)).toMatchObject({ role: 'assistant', content: 'final answer' });
    expect(JSON.stringify(history)).not.toContain('middle call');

    // The next request: the summary (merged into the first user message: templates want alternation),
    // the two calls each answered right after them, nothing of the middle and no orphan tool message.
    expect(next?.tools?.map((t) => t.function.name)).toContain('echo');
    expect(next?.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool']);
    expect(userTexts(next)).toHaveLength(1);
    expect(userTexts(next)[0]).toMatch(/^first question\n\n\[Summary of the earlier part/);
    expect(userTexts(next)[0]).toContain('SUMMARY: the user asked for echoes.');
    expect(next?.messages[2]?.tool_calls?.map((c) => c.function.arguments)).toEqual([
      '{"text":"one"}',
      '{"text":"two"}',
    ]);
    expect(pairingProblems(next)).toEqual([]);
    // The messages, not the tool definitions (whose descriptions may say "second" anywhere).
    const wire = JSON.stringify(next?.messages);
    expect(wire).not.toContain('second');
    expect(wire).not.toContain('middle call');
    expect(await app!.session(sessionId)).toMatchObject({ status: 'idle' });
  });

  it('compacts and retries once when vLLM answers 400 for a prompt over the context length', async () => {
    const { sessionId } = await startApp();
    fake.enqueue({ text: 'a' }, { text: 'b' }, { text: 'c' });
    let lastId: string | undefined;
    for (const q of ['first question', 'second', 'third']) ({ lastId } = await ask(sessionId, q, lastId));
    const overflow = VLLM_ERRORS.contextLength(4_000, 3_200, 1_000);
    fake.enqueue(
      { status: 400, errorBody: overflow },
      { text: 'SUMMARY: three questions.' },
      { text: 'final answer' },
    );
    const { events } = await ask(sessionId, 'fourth', lastId);

    expect(compactedOf(events)).toBeDefined();
    expect(events.some((e) => e.type === 'error')).toBe(false);
    const answer = events
      .flatMap((e) =>
        e.type === 'assistant_chunk' ? [e.text] : e.type === 'assistant_message' ? [e.text] : [],
      )
      .join('');
    expect(answer).toBe('final answer');
    expect(events.find((e) => e.type === 'turn_complete')).toBeDefined();

    const requests = chatRequests(fake);
    expect(requests).toHaveLength(6); // three turns, then the rejected one, the summary and the retry
    const [rejected, summariser, retry] = requests.slice(-3);
    expect(JSON.stringify(rejected?.messages)).toContain('second');
    expect(summariser?.tools).toBeUndefined();
    expect(textOf(summariser!.messages[1]!)).toContain('USER: second');
    // The retry carries the summary and the tail instead of the middle.
    expect(userTexts(retry).join('\n')).toContain('SUMMARY: three questions.');
    expect(userTexts(retry).at(-1)).toBe('fourth');
    expect(JSON.stringify(retry?.messages)).not.toContain('second');
    expect(pairingProblems(retry)).toEqual([]);

    const history = await app!.history.load(sessionId);
    expect(history[1]).toMatchObject({ role: 'user', synthetic: 'summary' });
    expect(history.at(-1)).toMatchObject({ role: 'assistant', content: 'final answer' });
    expect(await app!.session(sessionId)).toMatchObject({ status: 'idle' });
  });

  it('does not compact twice: a second context-length 400 ends the turn with the error', async () => {
    const { sessionId } = await startApp();
    fake.enqueue({ text: 'a' }, { text: 'b' }, { text: 'c' });
    let lastId: string | undefined;
    for (const q of ['first question', 'second', 'third']) ({ lastId } = await ask(sessionId, q, lastId));
    const overflow = { status: 400, errorBody: VLLM_ERRORS.contextLength(4_000, 3_200, 1_000) };
    fake.enqueue(overflow, { text: 'SUMMARY: three questions.' }, overflow, { text: 'never sent' });
    const { events } = await ask(sessionId, 'fourth', lastId);

    expect(events.filter((e) => e.type === 'compacted')).toHaveLength(1);
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      type: 'error',
      code: 'context_window_exceeded',
    });
    expect(chatRequests(fake)).toHaveLength(6);
    expect(fake.pending()).toBe(1);
  });
});
