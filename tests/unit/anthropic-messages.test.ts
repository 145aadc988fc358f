import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/core/messages.js';
import type { ToolDefinition } from '../../src/core/llm-provider.js';
import {
  MAX_CACHE_BREAKPOINTS,
  MISSING_TOOL_RESULT,
  buildAnthropicPrompt,
  toAnthropicMessages,
  toAnthropicTools,
} from '../../src/llm/anthropic-messages.js';

const tools: ToolDefinition[] = [
  {
    name: 'hf_search',
    description: 'Search the Hub',
    inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
  },
  { name: 'bash', description: 'Run a command', inputSchema: { properties: { cmd: { type: 'string' } } } },
];

const toolTurn: ChatMessage[] = [
  { role: 'user', content: 'Find a small model' },
  {
    role: 'assistant',
    content: 'Searching.',
    toolCalls: [
      { id: 'call_1', name: 'hf_search', input: { q: 'tiny' } },
      { id: 'call_2', name: 'bash', input: { cmd: 'ls' } },
    ],
  },
  { role: 'tool', toolCallId: 'call_1', name: 'hf_search', content: 'found 3' },
  { role: 'tool', toolCallId: 'call_2', name: 'bash', content: 'permission denied', isError: true },
];

function countBreakpoints(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countBreakpoints(v), 0);
  if (typeof value !== 'object' || value === null) return 0;
  return Object.entries(value).reduce(
    (n, [key, v]) => n + (key === 'cache_control' ? 1 : countBreakpoints(v)),
    0,
  );
}

describe('toAnthropicMessages', () => {
  it('merges consecutive tool results into one user message right after the tool_use message', () => {
    const messages = toAnthropicMessages(toolTurn);
    expect(messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Find a small model' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Searching.' },
          { type: 'tool_use', id: 'call_1', name: 'hf_search', input: { q: 'tiny' } },
          { type: 'tool_use', id: 'call_2', name: 'bash', input: { cmd: 'ls' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'found 3' },
          { type: 'tool_result', tool_use_id: 'call_2', content: 'permission denied', is_error: true },
        ],
      },
    ]);
  });

  it('leaves out an empty assistant text when there are tool calls', () => {
    const messages = toAnthropicMessages([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '  ', toolCalls: [{ id: 'c', name: 'bash', input: {} }] },
      { role: 'tool', toolCallId: 'c', name: 'bash', content: 'done' },
    ]);
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'c', name: 'bash', input: {} }],
    });
  });

  it('sends the parsed input ({}) of a call whose JSON was malformed', () => {
    const messages = toAnthropicMessages([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'c', name: 'bash', input: {}, parseError: 'bad JSON', rawInput: '{"cmd": ' }],
      },
      { role: 'tool', toolCallId: 'c', name: 'bash', content: 'bad JSON', isError: true },
    ]);
    expect(messages[1]?.content).toEqual([{ type: 'tool_use', id: 'c', name: 'bash', input: {} }]);
  });

  it('merges consecutive user messages and puts tool results before user text', () => {
    const messages = toAnthropicMessages([
      { role: 'user', content: 'one' },
      { role: 'user', content: 'two', synthetic: 'note' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'bash', input: {} }] },
      { role: 'user', content: 'stop that' },
      { role: 'tool', toolCallId: 'c', name: 'bash', content: 'cancelled', isError: true },
    ]);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[0]?.content).toEqual([
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
    ]);
    expect(messages[2]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'c', content: 'cancelled', is_error: true },
      { type: 'text', text: 'stop that' },
    ]);
  });

  it('answers a tool call whose result is missing, and turns an orphan result into text', () => {
    const messages = toAnthropicMessages([
      { role: 'tool', toolCallId: 'gone', name: 'bash', content: 'old output' },
      { role: 'user', content: 'continue' },
      { role: 'assistant', content: 'Running.', toolCalls: [{ id: 'c', name: 'bash', input: {} }] },
    ]);
    expect(messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Result of the earlier bash call gone:\nold output' },
        { type: 'text', text: 'continue' },
      ],
    });
    expect(messages[2]).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'c', content: MISSING_TOOL_RESULT, is_error: true }],
    });
  });

  it('drops blank messages and an empty assistant reply, keeping alternation', () => {
    const messages = toAnthropicMessages([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: '' },
      { role: 'user', content: '   ' },
      { role: 'user', content: 'hello?' },
    ]);
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'hi' },
          { type: 'text', text: 'hello?' },
        ],
      },
    ]);
  });
});

describe('toAnthropicTools', () => {
  it('maps the schema to input_schema with type object', () => {
    expect(toAnthropicTools(tools)[1]).toEqual({
      name: 'bash',
      description: 'Run a command',
      input_schema: { type: 'object', properties: { cmd: { type: 'string' } } },
    });
  });
});

describe('buildAnthropicPrompt', () => {
  it('sets breakpoints on the system prompt, the last tool and the last message only', () => {
    const prompt = buildAnthropicPrompt({ system: 'You are an intern.', tools, messages: toolTurn });
    expect(prompt.system).toEqual([
      { type: 'text', text: 'You are an intern.', cache_control: { type: 'ephemeral' } },
    ]);
    expect(prompt.tools[0]?.cache_control).toBeUndefined();
    expect(prompt.tools[1]?.cache_control).toEqual({ type: 'ephemeral' });
    const last = prompt.messages.at(-1)?.content;
    expect(Array.isArray(last) && last.at(-1)).toMatchObject({
      tool_use_id: 'call_2',
      cache_control: { type: 'ephemeral' },
    });
    // The first user message is the previous user turn: it keeps the cache the previous request wrote.
    const first = prompt.messages[0]?.content;
    expect(Array.isArray(first) && first.at(-1)).toMatchObject({ cache_control: { type: 'ephemeral' } });
    expect(countBreakpoints(prompt)).toBe(MAX_CACHE_BREAKPOINTS);
  });

  it('never sets more than four breakpoints and omits an empty system prompt', () => {
    const long: ChatMessage[] = [];
    for (let i = 0; i < 6; i++) {
      long.push({ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` });
    }
    long.push({ role: 'user', content: 'last' });
    const withAll = buildAnthropicPrompt({ system: 'sys', tools, messages: long });
    expect(countBreakpoints(withAll)).toBe(4);
    const bare = buildAnthropicPrompt({ system: '', tools: [], messages: long });
    expect(bare.system).toEqual([]);
    expect(bare.tools).toEqual([]);
    expect(countBreakpoints(bare)).toBe(2);
  });

  it('does not mutate or share objects with the history', () => {
    const history: ChatMessage[] = [{ role: 'user', content: 'hi' }];
    const before = JSON.stringify(history);
    const a = buildAnthropicPrompt({ system: 's', tools, messages: history });
    const b = buildAnthropicPrompt({ system: 's', tools, messages: history });
    expect(JSON.stringify(history)).toBe(before);
    expect(a.system[0]?.cache_control).not.toBe(b.system[0]?.cache_control);
  });
});
