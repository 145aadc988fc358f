import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../src/core/llm-provider.js';
import type { ChatMessage } from '../../src/core/messages.js';
import { buildAnthropicPrompt } from '../../src/llm/anthropic-messages.js';
import { AnthropicWireBody } from '../../src/llm/anthropic-wire-body.js';

const tool = (name: string): ToolDefinition => ({
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
});

/** What `messages.create` would have sent for the same request. */
function expected(input: { system: string; tools: readonly ToolDefinition[]; messages: ChatMessage[] }) {
  const prompt = buildAnthropicPrompt(input);
  return {
    model: 'claude-x',
    max_tokens: 100,
    stream: true,
    ...(prompt.system.length > 0 ? { system: prompt.system } : {}),
    ...(prompt.tools.length > 0 ? { tools: prompt.tools } : {}),
    messages: prompt.messages,
  };
}

function body(wire: AnthropicWireBody, input: Parameters<typeof expected>[0]): unknown {
  const json = wire.json({ model: 'claude-x', maxTokens: 100, ...input }, buildAnthropicPrompt(input));
  return JSON.parse(json);
}

describe('the request body of a streamed Messages call', () => {
  it('is the request as the SDK would serialize it, call after call, as the parts change', () => {
    const wire = new AnthropicWireBody();
    const tools = [tool('a'), tool('b')];
    const first = {
      system: 'Be brief.',
      tools,
      messages: [{ role: 'user', content: 'hi' }] as ChatMessage[],
    };
    expect(body(wire, first)).toEqual(expected(first));

    const more: ChatMessage[] = [
      ...first.messages,
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: 'more' },
    ];
    const second = { ...first, messages: more };
    expect(body(wire, second)).toEqual(expected(second)); // same system and tools, new messages

    const otherSystem = { ...second, system: 'Be thorough.' };
    expect(body(wire, otherSystem)).toEqual(expected(otherSystem));

    const otherTools = { ...otherSystem, tools: [tool('c')] };
    expect(body(wire, otherTools)).toEqual(expected(otherTools)); // a new definitions array

    const none = { system: '', tools: [], messages: first.messages };
    expect(body(wire, none)).toEqual(expected(none)); // neither system nor tools in the body
  });
});
