import type { ChatMessage, ToolCall } from './messages.js';
import type { Usage } from './events.js';

/** A tool as the model sees it: name, description and a JSON Schema for its arguments. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface LlmRequest {
  /** Model id without the provider prefix (`claude-sonnet-4-5`, not `anthropic/claude-sonnet-4-5`). */
  model: string;
  system: string;
  messages: readonly ChatMessage[];
  tools: readonly ToolDefinition[];
  maxTokens: number;
  /** False for one `assistant_message` instead of chunks; providers may still stream on the wire. */
  stream: boolean;
}

export interface LlmResponse {
  text: string;
  toolCalls: ToolCall[];
  /** `tool_use`, `end_turn`, `max_tokens`, ... as the provider reports it. */
  stopReason: string;
  usage: Usage;
}

/**
 * The seam between the agent loop and a model vendor. One call, streamed: `onText` receives text
 * deltas as they arrive. Implementations retry transient failures themselves, throw
 * `ContextWindowExceededError` when the prompt is too long, and stop when `signal` aborts.
 */
export interface LlmProvider {
  complete(request: LlmRequest, onText: (delta: string) => void, signal: AbortSignal): Promise<LlmResponse>;
}
