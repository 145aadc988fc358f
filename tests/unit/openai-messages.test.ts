import { describe, expect, it } from 'vitest';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ToolDefinition } from '../../src/core/llm-provider.js';
import type { ChatMessage } from '../../src/core/messages.js';
import { MISSING_TOOL_RESULT } from '../../src/llm/anthropic-messages.js';
import { ERROR_PREFIX, toOpenAiMessages, toOpenAiTools } from '../../src/llm/openai-messages.js';

const tools: ToolDefinition[] = [
  {
    name: 'hf_search',
    description: 'Search the Hub',
    inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
  },
  // No `type`: the converter must add it (servers reject function parameters without it).
  { name: 'bash', description: 'Run a command', inputSchema: { properties: { cmd: { type: 'string' } } } },
];

const toolTurn: ChatMessage[] = [
  { role: 'user', content: 'Find a small model' },
  {
    role: 'assistant',
    content: 'Searching.',
    toolCalls: [
      { id: 'call_1', name: 'hf_search', input: { q: 'tiny', limit: 3 } },
      { id: 'call_2', name: 'bash', input: { cmd: 'ls -la' } },
    ],
  },
  { role: 'tool', toolCallId: 'call_1', name: 'hf_search', content: 'found 3' },
  { role: 'tool', toolCallId: 'call_2', name: 'bash', content: 'permission denied', isError: true },
];

/**
 * What every Chat Completions server insists on: each `tool_calls` entry is answered by exactly
 * one `tool` message, and all of them come right after their assistant message, before anything
 * else. Returns the problems found (none for a well-formed request).
 */
function pairingProblems(messages: ChatCompletionMessageParam[]): string[] {
  const problems: string[] = [];
  let open = new Set<string>();
  for (const [i, m] of messages.entries()) {
    if (m.role === 'tool') {
      if (!open.delete(m.tool_call_id)) problems.push(`#${i}: tool ${m.tool_call_id} answers no open call`);
      continue;
    }
    if (open.size > 0) problems.push(`#${i}: ${m.role} before the results of ${[...open].join(', ')}`);
    open = new Set(m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : []);
  }
  if (open.size > 0) problems.push(`end: no results for ${[...open].join(', ')}`);
  return problems;
}

describe('toOpenAiMessages', () => {
  it('puts the system prompt first, and leaves it out when blank', () => {
    const history: ChatMessage[] = [{ role: 'user', content: 'hi' }];
    expect(toOpenAiMessages('You are an intern.', history)).toEqual([
      { role: 'system', content: 'You are an intern.' },
      { role: 'user', content: 'hi' },
    ]);
    expect(toOpenAiMessages('', history)).toEqual([{ role: 'user', content: 'hi' }]);
    expect(toOpenAiMessages(' \n\t', history)).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('merges consecutive user texts into one message, skipping blank ones', () => {
    const messages = toOpenAiMessages('', [
      { role: 'user', content: 'one' },
      { role: 'user', content: '   ' },
      { role: 'user', content: 'two', synthetic: 'note' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'three' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'one\n\ntwo' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'three' },
    ]);
  });

  it('sends an assistant message with text and calls as content plus tool_calls, arguments the JSON of the input', () => {
    const messages = toOpenAiMessages('sys', toolTurn);
    expect(messages[2]).toEqual({
      role: 'assistant',
      content: 'Searching.',
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'hf_search', arguments: JSON.stringify({ q: 'tiny', limit: 3 }) },
        },
        { id: 'call_2', type: 'function', function: { name: 'bash', arguments: '{"cmd":"ls -la"}' } },
      ],
    });
  });

  it('sends content null for an assistant message with calls and no text', () => {
    const messages = toOpenAiMessages('', [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '  ', toolCalls: [{ id: 'c', name: 'bash', input: {} }] },
      { role: 'tool', toolCallId: 'c', name: 'bash', content: 'done' },
    ]);
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'bash', arguments: '{}' } }],
    });
  });

  it("puts each result right after its call as role 'tool' with its tool_call_id, errors prefixed", () => {
    const messages = toOpenAiMessages('sys', toolTurn);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool']);
    expect(messages.slice(3)).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: 'found 3' },
      { role: 'tool', tool_call_id: 'call_2', content: `${ERROR_PREFIX}permission denied` },
    ]);
    expect(ERROR_PREFIX).toBe('Error: ');
    expect(pairingProblems(messages)).toEqual([]);
  });

  it('does not double the prefix of an error result that already has it, and fills an empty result', () => {
    const messages = toOpenAiMessages('', [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'a', name: 'bash', input: {} },
          { id: 'b', name: 'bash', input: {} },
          { id: 'c', name: 'bash', input: {} },
        ],
      },
      { role: 'tool', toolCallId: 'a', name: 'bash', content: 'Error: exit 1', isError: true },
      { role: 'tool', toolCallId: 'b', name: 'bash', content: '' },
      { role: 'tool', toolCallId: 'c', name: 'bash', content: '', isError: true },
    ]);
    expect(messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'a', content: 'Error: exit 1' },
      { role: 'tool', tool_call_id: 'b', content: '(empty)' },
      { role: 'tool', tool_call_id: 'c', content: 'Error: (empty)' },
    ]);
  });

  it('answers a call whose result is missing with an error tool message before the next user message', () => {
    const messages = toOpenAiMessages('', [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: 'Running two.',
        toolCalls: [
          { id: 'a', name: 'bash', input: { cmd: 'ls' } },
          { id: 'b', name: 'bash', input: { cmd: 'pwd' } },
        ],
      },
      { role: 'tool', toolCallId: 'a', name: 'bash', content: 'file.txt' },
      // The worker died before `b` finished; the user came back.
      { role: 'user', content: 'are you there?' },
    ]);
    expect(messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'a', content: 'file.txt' },
      { role: 'tool', tool_call_id: 'b', content: `Error: ${MISSING_TOOL_RESULT}` },
      { role: 'user', content: 'are you there?' },
    ]);
    expect(pairingProblems(messages)).toEqual([]);
  });

  it('answers the calls of a history that ends right after them, and of an assistant followed by another', () => {
    const endsOpen = toOpenAiMessages('', [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 'bash', input: {} }] },
    ]);
    expect(endsOpen.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'a',
      content: `Error: ${MISSING_TOOL_RESULT}`,
    });
    const followed = toOpenAiMessages('', [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 'bash', input: {} }] },
      { role: 'assistant', content: 'Never mind.' },
    ]);
    expect(followed.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(pairingProblems(endsOpen)).toEqual([]);
    expect(pairingProblems(followed)).toEqual([]);
  });

  it('turns a result without its call into user text, merged with the user message next to it', () => {
    const messages = toOpenAiMessages('', [
      // A compaction or an undo cut the assistant message that made this call.
      { role: 'tool', toolCallId: 'gone', name: 'bash', content: 'old output' },
      { role: 'user', content: 'continue' },
      { role: 'assistant', content: 'Done.' },
      { role: 'tool', toolCallId: 'lost', name: '', content: 'boom', isError: true },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'Result of the earlier bash call gone:\nold output\n\ncontinue' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'Result of the earlier tool call lost:\nError: boom' },
    ]);
    expect(pairingProblems(messages)).toEqual([]);
  });

  it('keeps the tool messages of open calls together when a stray result comes between them', () => {
    const messages = toOpenAiMessages('', [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'a', name: 'bash', input: {} },
          { id: 'b', name: 'bash', input: {} },
        ],
      },
      { role: 'tool', toolCallId: 'a', name: 'bash', content: 'A' },
      // Written twice (a crash between the result and its bookkeeping), and one from nowhere.
      { role: 'tool', toolCallId: 'a', name: 'bash', content: 'A again' },
      { role: 'tool', toolCallId: 'x', name: 'hf_search', content: 'X' },
      { role: 'tool', toolCallId: 'b', name: 'bash', content: 'B' },
      { role: 'user', content: 'next' },
    ]);
    expect(pairingProblems(messages)).toEqual([]);
    expect(messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'a', content: 'A' },
      { role: 'tool', tool_call_id: 'b', content: 'B' },
      {
        role: 'user',
        content:
          'Result of the earlier bash call a:\nA again\n\nResult of the earlier hf_search call x:\nX\n\nnext',
      },
    ]);
  });

  it('replays a malformed call with arguments "{}", valid JSON, its raw text left to the error result', () => {
    const raw = '{"cmd": "ls';
    const messages = toOpenAiMessages('', [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'c', name: 'bash', input: {}, parseError: 'Unterminated string', rawInput: raw }],
      },
      {
        role: 'tool',
        toolCallId: 'c',
        name: 'bash',
        content: 'The tool input is not valid JSON',
        isError: true,
        malformed: true,
      },
    ]);
    const call = messages[1]?.role === 'assistant' ? messages[1].tool_calls?.[0] : undefined;
    expect(call).toEqual({ id: 'c', type: 'function', function: { name: 'bash', arguments: '{}' } });
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({});
    expect(JSON.stringify(messages)).not.toContain(raw);
    expect(messages[2]).toEqual({
      role: 'tool',
      tool_call_id: 'c',
      content: 'Error: The tool input is not valid JSON',
    });
  });

  it('drops an empty assistant message, so the user texts around it merge', () => {
    const messages = toOpenAiMessages('', [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: '' },
      { role: 'assistant', content: ' \n', toolCalls: [] },
      { role: 'user', content: 'hello?' },
    ]);
    expect(messages).toEqual([{ role: 'user', content: 'hi\n\nhello?' }]);
  });

  it('merges consecutive assistant messages, keeping the calls last', () => {
    const messages = toOpenAiMessages('', [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Thinking.' },
      { role: 'assistant', content: 'Running.', toolCalls: [{ id: 'c', name: 'bash', input: {} }] },
      { role: 'tool', toolCallId: 'c', name: 'bash', content: 'ok' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: 'Thinking.\n\nRunning.',
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'bash', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c', content: 'ok' },
    ]);
  });

  it('does not mutate the history', () => {
    const history = structuredClone(toolTurn);
    toOpenAiMessages('sys', history);
    expect(history).toEqual(toolTurn);
  });
});

describe('toOpenAiTools', () => {
  it("makes function tools with name, description and the schema as parameters, type 'object'", () => {
    expect(toOpenAiTools(tools)).toEqual([
      {
        type: 'function',
        function: {
          name: 'hf_search',
          description: 'Search the Hub',
          parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
        },
      },
      {
        type: 'function',
        function: {
          name: 'bash',
          description: 'Run a command',
          parameters: { type: 'object', properties: { cmd: { type: 'string' } } },
        },
      },
    ]);
    expect(toOpenAiTools([])).toEqual([]);
  });
});
