import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ChatStreamAccumulator } from '../../src/llm/openai-response.js';

type Delta = ChatCompletionChunk.Choice.Delta;
type ToolDelta = ChatCompletionChunk.Choice.Delta.ToolCall;

/** A `chat.completion.chunk` as the servers stream it, with one choice (or none). */
function chunk(
  delta: Delta | undefined,
  options: {
    finish?: ChatCompletionChunk.Choice['finish_reason'];
    usage?: ChatCompletionChunk['usage'];
  } = {},
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'qwen3-8b',
    choices: delta === undefined ? [] : [{ index: 0, delta, finish_reason: options.finish ?? null }],
    ...(options.usage !== undefined ? { usage: options.usage } : {}),
  };
}

/** A tool call delta as some servers send it: without the `index` the type insists on. */
function withoutIndex(part: Omit<ToolDelta, 'index'>): ToolDelta {
  return part as ToolDelta;
}

function calls(...parts: ToolDelta[]): ChatCompletionChunk {
  return chunk({ tool_calls: parts });
}

function fold(chunks: ChatCompletionChunk[]): ChatStreamAccumulator {
  const accumulator = new ChatStreamAccumulator();
  for (const c of chunks) accumulator.apply(c);
  return accumulator;
}

const finish = (reason: ChatCompletionChunk.Choice['finish_reason']) => chunk({}, { finish: reason });

describe('ChatStreamAccumulator', () => {
  it('returns each text delta from apply and concatenates them', () => {
    const accumulator = new ChatStreamAccumulator();
    const added = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo, ' }),
      chunk({ content: null }),
      chunk({ content: 'world.' }),
      finish('stop'),
    ].map((c) => accumulator.apply(c));
    expect(added).toEqual(['', 'Hel', 'lo, ', '', 'world.', '']);
    expect(accumulator.response()).toMatchObject({
      text: 'Hello, world.',
      toolCalls: [],
      stopReason: 'end_turn',
    });
    expect(accumulator.model).toBe('qwen3-8b');
  });

  it('assembles two tool calls by index from arguments sent in pieces', () => {
    const accumulator = fold([
      chunk({ role: 'assistant', content: 'Looking.' }),
      calls({ index: 0, id: 'call_a', type: 'function', function: { name: 'hf_search', arguments: '' } }),
      calls({ index: 0, function: { arguments: '{"q":' } }),
      calls({ index: 1, id: 'call_b', type: 'function', function: { name: 'bash', arguments: '{"cmd"' } }),
      calls({ index: 0, function: { arguments: ' "tiny"}' } }),
      calls({ index: 1, function: { arguments: ': "ls"}' } }),
      finish('tool_calls'),
    ]);
    expect(accumulator.response()).toMatchObject({
      text: 'Looking.',
      stopReason: 'tool_use',
      toolCalls: [
        { id: 'call_a', name: 'hf_search', input: { q: 'tiny' } },
        { id: 'call_b', name: 'bash', input: { cmd: 'ls' } },
      ],
    });
    expect(accumulator.response().toolCalls[0]).not.toHaveProperty('parseError');
  });

  it('orders calls by index, not by arrival', () => {
    const { toolCalls } = fold([
      calls({ index: 1, id: 'second', function: { name: 'bash', arguments: '{}' } }),
      calls({ index: 0, id: 'first', function: { name: 'echo', arguments: '{}' } }),
      finish('tool_calls'),
    ]).response();
    expect(toolCalls.map((c) => c.id)).toEqual(['first', 'second']);
  });

  it('continues a call without index by its id, and opens the next call on a new id', () => {
    const { toolCalls } = fold([
      calls(withoutIndex({ id: 'call_1', type: 'function', function: { name: 'echo', arguments: '{"te' } })),
      calls(withoutIndex({ id: 'call_1', function: { arguments: 'xt":"a"}' } })),
      calls(withoutIndex({ id: 'call_2', type: 'function', function: { name: 'bash', arguments: '' } })),
      // No id and no index: more of the last call.
      calls(withoutIndex({ function: { arguments: '{"cmd":"pwd"}' } })),
      finish('tool_calls'),
    ]).response();
    expect(toolCalls).toEqual([
      { id: 'call_1', name: 'echo', input: { text: 'a' } },
      { id: 'call_2', name: 'bash', input: { cmd: 'pwd' } },
    ]);
  });

  it('gives a call without an id one of its own, distinct per call, and takes a real id that comes later', () => {
    const { toolCalls } = fold([
      calls({ index: 0, type: 'function', function: { name: 'echo', arguments: '{}' } }),
      calls({ index: 1, type: 'function', function: { name: 'bash', arguments: '' } }),
      calls({ index: 1, id: 'late_id', function: { arguments: '{}' } }),
      finish('tool_calls'),
    ]).response();
    expect(toolCalls[0]?.id).toMatch(/^call_gen\d+$/);
    expect(toolCalls[1]?.id).toBe('late_id');
    const again = fold([
      calls({ index: 0, function: { name: 'echo', arguments: '{}' } }),
      finish('tool_calls'),
    ]);
    expect(again.response().toolCalls[0]?.id).not.toBe(toolCalls[0]?.id);
  });

  it('gives distinct ids to two calls a server sent with the same id', () => {
    // Seen from Xinference (xorbitsai/inference #4237): every call of a response carries one id.
    const { toolCalls } = fold([
      calls({ index: 0, id: 'call_same', function: { name: 'echo', arguments: '{"text":"a"}' } }),
      calls({ index: 1, id: 'call_same', function: { name: 'echo', arguments: '{"text":"b"}' } }),
      finish('tool_calls'),
    ]).response();
    expect(toolCalls.map((c) => c.input)).toEqual([{ text: 'a' }, { text: 'b' }]);
    expect(toolCalls[0]?.id).toBe('call_same');
    expect(new Set(toolCalls.map((c) => c.id)).size).toBe(2);
  });

  it('does not double a name (or split a call on an id) the server repeats on every delta', () => {
    const { toolCalls } = fold([
      calls({ index: 0, id: 'c', function: { name: 'hf_search', arguments: '{"q":' } }),
      // The name and the id again, as some servers send them on every delta.
      calls({ index: 0, id: 'c', function: { name: 'hf_search', arguments: '"x"}' } }),
      finish('tool_calls'),
    ]).response();
    expect(toolCalls).toEqual([{ id: 'c', name: 'hf_search', input: { q: 'x' } }]);
  });

  it('keeps broken argument JSON as parseError and rawInput, with input {}', () => {
    const { toolCalls } = fold([
      calls({ index: 0, id: 'c', function: { name: 'bash', arguments: '{"cmd": "ls' } }),
      finish('tool_calls'),
    ]).response();
    expect(toolCalls[0]).toMatchObject({ id: 'c', name: 'bash', input: {}, rawInput: '{"cmd": "ls' });
    expect(toolCalls[0]?.parseError).toMatch(/not valid JSON/);
    const notObject = fold([
      calls({ index: 0, id: 'd', function: { name: 'bash', arguments: '["ls"]' } }),
      finish('tool_calls'),
    ]).response().toolCalls[0];
    expect(notObject).toMatchObject({ input: {}, rawInput: '["ls"]' });
    expect(notObject?.parseError).toMatch(/not a JSON object/);
  });

  it('reads empty or missing arguments as {}', () => {
    const { toolCalls } = fold([
      calls({ index: 0, id: 'a', function: { name: 'list_jobs', arguments: '' } }),
      calls({ index: 1, id: 'b', function: { name: 'whoami' } }),
      calls({ index: 2, id: 'c', function: { name: 'ping', arguments: '  ' } }),
      finish('tool_calls'),
    ]).response();
    expect(toolCalls).toEqual([
      { id: 'a', name: 'list_jobs', input: {} },
      { id: 'b', name: 'whoami', input: {} },
      { id: 'c', name: 'ping', input: {} },
    ]);
  });

  it('maps finish reasons to stop reasons', () => {
    const stopOf = (reason: ChatCompletionChunk.Choice['finish_reason'], withCall = false) =>
      fold([
        chunk({ content: 'x' }),
        ...(withCall ? [calls({ index: 0, id: 'c', function: { name: 'bash', arguments: '{}' } })] : []),
        finish(reason),
      ]).response().stopReason;
    expect(stopOf('stop')).toBe('end_turn');
    expect(stopOf('tool_calls', true)).toBe('tool_use');
    expect(stopOf('length')).toBe('max_tokens');
    expect(stopOf('content_filter')).toBe('refusal');
    // Some servers (Ollama, older vLLM parsers) say `stop` although they sent calls.
    expect(stopOf('stop', true)).toBe('tool_use');
    expect(stopOf('length', true)).toBe('max_tokens');
  });

  it('reads usage from the last chunk, the one with choices: []', () => {
    const accumulator = fold([
      chunk({ role: 'assistant', content: 'Hi' }, { usage: null }),
      chunk({}, { finish: 'stop', usage: null }),
      chunk(undefined, { usage: { prompt_tokens: 1_234, completion_tokens: 56, total_tokens: 1_290 } }),
    ]);
    expect(accumulator.response().usage).toEqual({
      inputTokens: 1_234,
      outputTokens: 56,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(accumulator.response().text).toBe('Hi');
    expect(new ChatStreamAccumulator().response().usage.inputTokens).toBe(0);
  });

  it('is finished only once a finish_reason arrived', () => {
    const accumulator = new ChatStreamAccumulator();
    accumulator.apply(chunk({ role: 'assistant', content: 'partial' }));
    accumulator.apply(calls({ index: 0, id: 'c', function: { name: 'bash', arguments: '{' } }));
    expect(accumulator.finished).toBe(false);
    accumulator.apply(
      chunk(undefined, { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }),
    );
    expect(accumulator.finished).toBe(false);
    accumulator.apply(finish('tool_calls'));
    expect(accumulator.finished).toBe(true);
  });
});
