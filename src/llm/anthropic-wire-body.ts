import type { ToolDefinition } from '../core/llm-provider.js';
import type { AnthropicPrompt } from './anthropic-messages.js';

/**
 * The JSON of a streamed Messages API request, with its system prompt and tools serialized once
 * and reused while they stay the same. They are most of a request (tens of KB with the intern's
 * tools) and the same on every call of a process, where the messages change: serializing the whole
 * body per call was about a third of a millisecond of a turn's start, which in a burst of turns
 * delays the requests of the later ones.
 *
 * The cached parts are keyed by what they are built from (the system prompt text, the tool
 * definitions array, which the registry keeps while its tools do not change): the prompt builder
 * turns the same input into the same blocks, cache breakpoints included.
 */
export class AnthropicWireBody {
  private system: { text: string; json: string } | undefined;
  private tools: { definitions: readonly ToolDefinition[]; json: string } | undefined;

  json(
    input: { model: string; maxTokens: number; system: string; tools: readonly ToolDefinition[] },
    prompt: AnthropicPrompt,
  ): string {
    const parts = [
      `"model":${JSON.stringify(input.model)}`,
      `"max_tokens":${input.maxTokens}`,
      '"stream":true',
    ];
    if (prompt.system.length > 0) parts.push(`"system":${this.systemJson(input.system, prompt)}`);
    if (prompt.tools.length > 0) parts.push(`"tools":${this.toolsJson(input.tools, prompt)}`);
    parts.push(`"messages":${JSON.stringify(prompt.messages)}`);
    return `{${parts.join(',')}}`;
  }

  private systemJson(text: string, prompt: AnthropicPrompt): string {
    if (this.system?.text !== text) this.system = { text, json: JSON.stringify(prompt.system) };
    return this.system.json;
  }

  private toolsJson(definitions: readonly ToolDefinition[], prompt: AnthropicPrompt): string {
    if (this.tools?.definitions !== definitions)
      this.tools = { definitions, json: JSON.stringify(prompt.tools) };
    return this.tools.json;
  }
}
