import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Usage } from '../core/events.js';
import type { LlmResponse } from '../core/llm-provider.js';
import type { ToolCall } from '../core/messages.js';
import { parseToolInput } from './tool-input.js';

/**
 * Folds streamed `chat.completion.chunk`s into one response. Tool calls arrive as deltas keyed by
 * `index`: the first carries the id and name, later ones pieces of the argument JSON. Servers
 * differ at the edges, so: a missing `index` continues the call with the same id (or the last
 * one), a repeated name is not appended, a missing id gets one of ours, and usage is read from
 * whichever chunk carries it (the last one when `stream_options.include_usage` is on).
 */

/** Chat Completions finish reasons → the neutral stop reasons of {@link LlmResponse}. */
const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  length: 'max_tokens',
  content_filter: 'refusal',
};

interface OpenCall {
  id: string;
  name: string;
  json: string;
}

let generatedIds = 0;

export class ChatStreamAccumulator {
  /** A finish reason arrived: the answer is complete (a usage chunk may still follow). */
  finished = false;
  /** What the server said it ran, when it says (the router names `<model>:<provider>` here). */
  model: string | undefined;
  private text = '';
  private finishReason: string | null = null;
  private readonly calls = new Map<number, OpenCall>();
  private readonly usage: Usage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };

  /** Applies one chunk and returns the text it adds (often empty). */
  apply(chunk: ChatCompletionChunk): string {
    if (typeof chunk.model === 'string' && chunk.model.length > 0) this.model = chunk.model;
    if (chunk.usage) {
      this.usage.inputTokens = chunk.usage.prompt_tokens ?? this.usage.inputTokens;
      this.usage.outputTokens = chunk.usage.completion_tokens ?? this.usage.outputTokens;
    }
    let added = '';
    // Only the first choice is ours: the request never asks for `n` > 1.
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (choice === undefined) return added;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content.length > 0) {
      this.text += delta.content;
      added = delta.content;
    }
    for (const part of delta.tool_calls ?? []) this.applyToolDelta(part);
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      this.finished = true;
    }
    return added;
  }

  response(): LlmResponse {
    const toolCalls = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => toToolCall(call));
    const reason = this.finishReason ?? 'stop';
    // Some servers say `stop` even when they sent calls; the calls are what matter.
    const stopReason =
      toolCalls.length > 0 && reason === 'stop' ? 'tool_use' : (STOP_REASONS[reason] ?? reason);
    return { text: this.text, toolCalls, stopReason, usage: { ...this.usage } };
  }

  private applyToolDelta(part: NonNullable<ChatCompletionChunk.Choice.Delta['tool_calls']>[number]): void {
    const index = this.indexOf(part);
    let call = this.calls.get(index);
    // An id another call of this response already has is not taken: some servers (Xinference)
    // give every call one id, and the journal, approvals and results are all keyed by it.
    const freshId = part.id && ![...this.calls.values()].some((c) => c.id === part.id) ? part.id : '';
    if (call === undefined) {
      call = { id: freshId || `call_gen${String(++generatedIds).padStart(6, '0')}`, name: '', json: '' };
      this.calls.set(index, call);
    } else if (freshId && call.id.startsWith('call_gen')) call.id = freshId;
    const fn = part.function;
    if (fn?.name && call.name === '') call.name = fn.name;
    if (typeof fn?.arguments === 'string') call.json += fn.arguments;
  }

  private indexOf(part: { index?: number; id?: string }): number {
    if (typeof part.index === 'number') return part.index;
    for (const [index, call] of this.calls) if (part.id && call.id === part.id) return index;
    const last = Math.max(-1, ...this.calls.keys());
    // A new id without an index opens the next call; no id continues the last one.
    return part.id || last === -1 ? last + 1 : last;
  }
}

function toToolCall(call: OpenCall): ToolCall {
  const out: ToolCall = { id: call.id, name: call.name, input: {} };
  // No arguments at all is a call without parameters, as some servers send it.
  if (call.json.trim() === '') return out;
  const parsed = parseToolInput(call.json);
  if (parsed.ok) out.input = parsed.input;
  else {
    out.parseError = parsed.error;
    out.rawInput = call.json;
  }
  return out;
}
